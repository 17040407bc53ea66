#!/usr/bin/env bash
# Private Postfix + Dovecot (LMTP, Sieve, ManageSieve, IMAP) + Mailman 3 stack on 127.0.0.1.
#
#   stack.sh start DIR     generate configs under absolute DIR, start all three, wait until ready,
#                          write DIR/ports.env (KEY=VALUE). Fails (and stops what it started) on error.
#   stack.sh stop  DIR     stop exactly what start started (PID files), wait, kill leftovers of ours.
#   stack.sh status DIR    print which parts are running (exit 3 if a part is stopped).
#   stack.sh reload DIR    postmap DIR/postfix/{vmailbox,virtual} + postfix reload (also needed after a
#                          Mailman list is created/deleted: see FINDINGS.md).
#
# Dovecot offers STARTTLS (optional) with a self-signed certificate for "localhost", made at the first
# start (DOVECOT_TLS_CERT in ports.env is the certificate to trust).
# Must run as root (Postfix/Dovecot masters; Mailman is run as user `list`). Needs install.sh first.
# Every path component of DIR must be world-traversable (postfix, mail, list users enter it).
# Env overrides (defaults in brackets; a busy default port moves to the next free one, an
# explicitly given busy port is an error):
#   MAILSTACK_SMTP_PORT [2525]  MAILSTACK_LMTP_PORT [2424]  MAILSTACK_SIEVE_PORT [14190]
#   MAILSTACK_IMAP_PORT [1143]  MAILSTACK_MM_REST_PORT [18001]  MAILSTACK_MM_LMTP_PORT [18024]
#   MAILSTACK_MAILMAN=0         do not start Mailman (saves ~10-20 s)
#   MAILSTACK_MM_WORKERS [1]    gunicorn workers of Mailman's REST server (Debian's default is 2)
#   MAILSTACK_MM_ARCHIVE=1      run Mailman's archive runner with the prototype archiver (MAILMAN_ARCHIVE_DIR)
#   MAILSTACK_PGSQL_ALIASES=1   also use the pgsql: virtual alias map (PostgreSQL MAILSTACK_PG_HOST
#                               [127.0.0.1]:MAILSTACK_PG_PORT [5432], db MAILSTACK_PG_DB [mailstack],
#                               user postgres, trust auth; table virtual_alias, see pgsql-schema.sql)
#   MAILSTACK_DOVEADM_HTTP_PORT [18080]  doveadm HTTP API (loopback; key MAILSTACK_DOVEADM_KEY [doveadm-api-key])
#   MAILSTACK_MM_USER [restadmin] MAILSTACK_MM_PASS [mailstack-rest-pass]
#   MAILSTACK_USER_PASS [secret] (password of every mailbox user), MAILSTACK_MASTER_PASS [master-secret]
#   MAILSTACK_TIMEOUT [90]      seconds to wait for readiness of each part
#   MAILSTACK_MILTER=inet:127.0.0.1:PORT   call this milter for SMTP and local mail (smtpd_milters,
#                               non_smtpd_milters), failing open: milter_default_action = accept
#   MAILSTACK_POLICY=inet:127.0.0.1:PORT   call this policy service at RCPT and end of data
#                               (check_policy_service), failing open: default action DUNNO
#   MAILSTACK_EXTERNAL="dom=smtp:[127.0.0.1]:PORT ..."  deliver these outside domains to a test SMTP
#                               server on loopback instead of refusing them (nothing else leaves)
set -euo pipefail
export LC_ALL=C.UTF-8
umask 022

DOMAIN=corp.example
LIST_DOMAIN=lists.corp.example
HOSTNAME_FQDN=mail.corp.example
USERS=(takahashi suzuki tanaka sato)
MASTER_USER=sieveadmin
TIMEOUT=${MAILSTACK_TIMEOUT:-90}

die() { echo "stack.sh: $*" >&2; exit 1; }
log() { echo "stack.sh: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }

usage() { echo "usage: $0 start|stop|status|reload DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
CMD=$1; DIR=$2
case "$DIR" in /*) ;; *) die "DIR must be absolute: $DIR";; esac
DIR=${DIR%/}
[ "$(id -u)" = 0 ] || die "must run as root"

PF=$DIR/postfix            # config_directory
PFQ=$DIR/postfix-queue     # queue_directory (root-owned, subdirs by postfix)
PFD=$DIR/postfix-data      # data_directory (postfix-owned)
DV=$DIR/dovecot
MM=$DIR/mailman
MMV=$MM/var
LOGS=$DIR/log
MAIL=$DIR/mail
PORTS_ENV=$DIR/ports.env

# ---------------------------------------------------------------- helpers
port_busy() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
pick_port() { # NAME DEFAULT -> echo port
  local name=$1 def=$2 var="MAILSTACK_$1" p
  if [ -n "${!var:-}" ]; then
    p=${!var}; port_busy "$p" && die "port $p ($var) is busy"; echo "$p"; return
  fi
  for p in $(seq "$def" $((def + 200))); do
    case " ${TAKEN:-} " in *" $p "*) continue;; esac
    port_busy "$p" || { echo "$p"; return; }
  done
  die "no free port near $def for $name"
}
pid_of() { [ -s "$1" ] && tr -dc 0-9 <"$1" | head -c 10; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
descendants() { # PID -> all descendant pids (recursive)
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done
}
wait_port() { # PORT SECONDS
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do port_busy "$1" && return 0; sleep 0.1; done
  return 1
}
wait_gone() { # SECONDS PID...
  local secs=$1; shift; local end=$(( $(date +%s) + secs )) p any
  while :; do
    any=
    for p in "$@"; do alive "$p" && any=1; done
    [ -z "$any" ] && return 0
    [ "$(date +%s)" -ge "$end" ] && return 1
    sleep 0.1
  done
}
check_traversable() {
  local d=$DIR
  while [ "$d" != / ] && [ -n "$d" ]; do
    if [ -e "$d" ]; then
      local perm; perm=$(stat -c %A "$d")
      [ "${perm:9:1}" = x ] || [ "${perm:9:1}" = t ] || die "$d is not world-traversable (o+x); postfix/dovecot/mailman users must enter DIR"
    fi
    d=$(dirname "$d")
  done
}

# ---------------------------------------------------------------- config generation
gen_postfix() {
  mkdir -p "$PF" "$PFQ" "$PFD" "$LOGS"
  chown root:root "$PFQ"; chmod 755 "$PFQ"
  chown postfix:postfix "$PFD"; chmod 700 "$PFD"
  # postlogd (master.cf "postlog") appends to maillog_file; keep the file writable by postfix
  touch "$LOGS/postfix.log"; chown postfix:postfix "$LOGS/postfix.log"

  local mm_data=$MMV/data
  local pg_map=""
  [ "${MAILSTACK_PGSQL_ALIASES:-0}" = 1 ] && pg_map=", pgsql:$PF/pgsql-virtual-alias.cf"

  local ext_map="" policy_rcpt="" policy_eod=""
  : >"$PF/external_transport"
  if [ -n "${MAILSTACK_EXTERNAL:-}" ]; then
    local pair
    for pair in $MAILSTACK_EXTERNAL; do
      case "$pair" in *=smtp:\[127.0.0.1\]:*) ;; *) die "MAILSTACK_EXTERNAL: only dom=smtp:[127.0.0.1]:PORT, got $pair";; esac
      echo "${pair%%=*} ${pair#*=}" >>"$PF/external_transport"
    done
    ext_map="hash:$PF/external_transport, "
  fi
  if [ -n "${MAILSTACK_POLICY:-}" ]; then
    policy_rcpt="check_policy_service $MAILSTACK_POLICY, "
    policy_eod="check_policy_service $MAILSTACK_POLICY"
  fi

  cat >"$PF/main.cf" <<EOF
# Generated by stack.sh -- private test instance, started with: postfix -c $PF start
compatibility_level = 3.6
queue_directory = $PFQ
data_directory = $PFD
mail_owner = postfix
setgid_group = postdrop

# no syslog on this machine: log through postlogd (master.cf "postlog") into a file
maillog_file = $LOGS/postfix.log
maillog_file_prefixes = $DIR
# Postfix 3.7 still logs a few lines to syslog before postlogd is up; harmless.

myhostname = $HOSTNAME_FQDN
mydomain = $DOMAIN
myorigin = \$mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mynetworks_style = host
smtpd_banner = \$myhostname ESMTP mailstack
biff = no
append_dot_mydomain = no

# ---- no DNS, nothing leaves this machine
disable_dns_lookups = yes
smtp_dns_support_level = disabled
lmtp_host_lookup = native
smtp_host_lookup = native
smtpd_peername_lookup = no
relayhost =
default_transport = error:mailstack: outbound mail is disabled
relay_transport   = error:mailstack: outbound mail is disabled
local_transport   = error:mailstack: local delivery is disabled
alias_maps =
alias_database =
local_recipient_maps =

# ---- mailboxes: Dovecot LMTP
virtual_mailbox_domains = $DOMAIN
# valid mailbox addresses (postmap after editing); list addresses at $DOMAIN come from Mailman's map
virtual_mailbox_maps = hash:$PF/vmailbox, hash:$mm_data/postfix_lmtp
virtual_alias_maps = hash:$PF/virtual$pg_map
# aliases still apply to every address; empty => no "is corp.example an alias domain?" map lookups
virtual_alias_domains =
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
lmtp_destination_recipient_limit = 50

# ---- Mailman 3: lists at $LIST_DOMAIN (and also at $DOMAIN) go to Mailman's LMTP
# Mailman rewrites postfix_lmtp / postfix_domains (+ postmap) whenever a list is created/deleted.
transport_maps = ${ext_map}hash:$mm_data/postfix_lmtp
# "!$DOMAIN": lists may also live at $DOMAIN (a virtual mailbox domain); keep it out of relay_domains
# (Postfix warns "do not list domain in BOTH virtual_mailbox_domains and relay_domains" otherwise).
relay_domains = !$DOMAIN, hash:$mm_data/postfix_domains
relay_recipient_maps = hash:$mm_data/postfix_lmtp
recipient_delimiter = +
owner_request_special = no

smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = ${policy_rcpt}permit_mynetworks, reject_unauth_destination
smtpd_end_of_data_restrictions = $policy_eod
# a policy service that is down or slow must not stop mail (fail open)
smtpd_policy_service_default_action = DUNNO
smtpd_policy_service_timeout = 2s
smtpd_policy_service_max_idle = 30s
smtpd_policy_service_try_limit = 1
smtpd_client_restrictions =
smtpd_helo_required = no
smtputf8_enable = yes

# ---- milter (loop guard): fail open when it is down or slow
smtpd_milters = ${MAILSTACK_MILTER:-}
non_smtpd_milters = ${MAILSTACK_MILTER:-}
milter_default_action = accept
milter_protocol = 6
milter_connect_timeout = 2s
milter_command_timeout = 2s
milter_content_timeout = 5s

# ---- fast retries for tests
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 60s
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h
delay_warning_time = 0
EOF

  # every service chroot=n (5th column). postlog needed for maillog_file.
  cat >"$PF/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

  # maps (kept if they already exist, so a test's edits survive a restart)
  if [ ! -f "$PF/vmailbox" ]; then
    : >"$PF/vmailbox"
    for u in "${USERS[@]}" postmaster; do echo "$u@$DOMAIN OK" >>"$PF/vmailbox"; done
  fi
  if [ ! -f "$PF/virtual" ]; then
    cat >"$PF/virtual" <<EOF
# virtual aliases: "alias@$DOMAIN  target[, target...]"; rebuild with: postmap $PF/virtual
# then: postfix -c $PF reload   (hash maps are re-read by new processes; reload makes it immediate)
postmaster@$DOMAIN takahashi@$DOMAIN
EOF
  fi
  postmap -c "$PF" "$PF/vmailbox"; postmap -c "$PF" "$PF/virtual"; postmap -c "$PF" "$PF/external_transport"

  # The pgsql: variant (used when MAILSTACK_PGSQL_ALIASES=1). See pgsql-schema.sql for the table.
  cat >"$PF/pgsql-virtual-alias.cf" <<EOF
# pgsql_table(5) for virtual_alias_maps, e.g.  virtual_alias_maps = hash:$PF/virtual, pgsql:$PF/pgsql-virtual-alias.cf
# test: postmap -c $PF -q alias@$DOMAIN pgsql:$PF/pgsql-virtual-alias.cf
hosts = ${MAILSTACK_PG_HOST:-127.0.0.1}:${MAILSTACK_PG_PORT:-5432}
user = postgres
password =
dbname = ${MAILSTACK_PG_DB:-mailstack}
# only query PostgreSQL for addresses in these domains (no queries for bare domains / other domains)
domain = $DOMAIN
query = SELECT destination FROM virtual_alias WHERE source = '%s' AND enabled
EOF
  cat >"$PF/pgsql-schema.sql" <<'EOF'
-- psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE mailstack' ; psql -h 127.0.0.1 -U postgres mailstack -f pgsql-schema.sql
CREATE TABLE IF NOT EXISTS virtual_alias (
  source      text PRIMARY KEY,          -- alias@corp.example
  destination text NOT NULL,             -- comma-separated targets, as in a hash map
  enabled     boolean NOT NULL DEFAULT true
);
EOF
  chmod 644 "$PF"/*.cf
}

gen_dovecot() {
  # fresh base_dir: a stale socket left by an older config (e.g. anvil-auth-penalty) makes
  # Dovecot's auth process retry connecting for 5 s -> first login after start took 5 s
  rm -rf "$DV/run"
  mkdir -p "$DV/run" "$DV/state" "$MAIL" "$LOGS"
  chmod 755 "$DV" "$DV/run"
  chown mail:mail "$MAIL"; chmod 770 "$MAIL"
  local pass=${MAILSTACK_USER_PASS:-secret} mpass=${MAILSTACK_MASTER_PASS:-master-secret}
  if [ ! -f "$DV/users" ]; then
    : >"$DV/users"
    for u in "${USERS[@]}" postmaster; do
      # user:password:uid:gid:gecos:home:shell:extra (uid/gid/home from userdb default_fields)
      echo "$u@$DOMAIN:{PLAIN}$pass::::::" >>"$DV/users"
    done
  fi
  echo "$MASTER_USER:{PLAIN}$mpass::::::" >"$DV/master-users"
  chown root:dovecot "$DV/users" "$DV/master-users"; chmod 640 "$DV/users" "$DV/master-users"
  # STARTTLS (optional for clients) with a self-signed certificate for the name "localhost" only,
  # so clients can test both a trusted certificate and a name that does not match (127.0.0.1)
  if [ ! -f "$DV/tls/cert.pem" ]; then
    mkdir -p "$DV/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
      -keyout "$DV/tls/key.pem" -out "$DV/tls/cert.pem" 2>/dev/null
    chmod 600 "$DV/tls/key.pem"; chmod 644 "$DV/tls/cert.pem"
  fi

  cat >"$DV/dovecot.conf" <<EOF
# Generated by stack.sh -- private instance: dovecot -c $DV/dovecot.conf
instance_name = mailstack-$(echo "$DIR" | md5sum | cut -c1-8)
base_dir = $DV/run
state_dir = $DV/state
listen = 127.0.0.1
protocols = imap lmtp sieve
hostname = $HOSTNAME_FQDN
postmaster_address = postmaster@$DOMAIN
log_path = $LOGS/dovecot.log
info_log_path = $LOGS/dovecot.log
debug_log_path = $LOGS/dovecot.log
ssl = yes
ssl_cert = <$DV/tls/cert.pem
ssl_key = <$DV/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
# tests do failed logins on purpose: no 2 s failure delay, no per-IP penalty (up to 15 s) for 127.0.0.1
auth_failure_delay = 0
# auth_verbose = yes
# mail_debug = yes

first_valid_uid = 8
last_valid_uid = 8
mail_uid = mail
mail_gid = mail
mail_home = $MAIL/%d/%n
mail_location = maildir:~/Maildir
recipient_delimiter = +
lda_mailbox_autocreate = yes

namespace inbox {
  inbox = yes
  separator = /
}

# mailbox users
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DV/users
}
# master user for ManageSieve administration: AUTHENTICATE PLAIN authzid=<user> authcid=$MASTER_USER
passdb {
  driver = passwd-file
  master = yes
  # pass = yes: after the master password is checked, the target user must exist in the passdb above
  pass = yes
  args = scheme=PLAIN $DV/master-users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DV/users
  default_fields = uid=mail gid=mail home=$MAIL/%d/%n
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service managesieve-login {
  inet_listener sieve {
    address = 127.0.0.1
    port = $SIEVE_PORT
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service managesieve {
  process_limit = 16
}
# doveadm HTTP API on loopback only (mailgov lists the mailboxes with the "user" command and a mask)
doveadm_api_key = ${MAILSTACK_DOVEADM_KEY:-doveadm-api-key}
service doveadm {
  inet_listener http {
    address = 127.0.0.1
    port = $DOVEADM_HTTP_PORT
  }
}

protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
protocol sieve {
  managesieve_max_line_length = 65536
}

# vacation replies are submitted by SMTP to our Postfix
submission_host = 127.0.0.1:$SMTP_PORT

plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_vacation_min_period = 1d
  sieve_vacation_default_period = 7d
  sieve_vacation_max_period = 60d
  sieve_vacation_send_from_recipient = no
  sieve_vacation_use_original_recipient = no
  sieve_max_script_size = 1M
}
EOF
  chmod 644 "$DV/dovecot.conf"
}

gen_mailman() {
  local user=${MAILSTACK_MM_USER:-restadmin} pass=${MAILSTACK_MM_PASS:-mailstack-rest-pass}
  local mm_archive=no; [ "${MAILSTACK_MM_ARCHIVE:-0}" = 1 ] && mm_archive=yes
  mkdir -p "$MMV"/{data,locks,logs,queue,lists,cache,etc,ext,messages,archives,templates}
  cat >"$MM/mailman.cfg" <<EOF
# Generated by stack.sh -- private Mailman 3 core: mailman -C $MM/mailman.cfg start (as user list)
[mailman]
site_owner: postmaster@$DOMAIN
noreply_address: noreply
default_language: en
layout: mailstack
listname_chars: [-_.0-9a-z]

[paths.mailstack]
var_dir: $MMV
queue_dir: \$var_dir/queue
bin_dir: /usr/lib/mailman3/bin
list_data_dir: \$var_dir/lists
log_dir: \$var_dir/logs
lock_dir: \$var_dir/locks
data_dir: \$var_dir/data
cache_dir: \$var_dir/cache
etc_dir: \$var_dir/etc
ext_dir: \$var_dir/ext
messages_dir: \$var_dir/messages
archive_dir: \$var_dir/archives
template_dir: \$var_dir/templates
pid_file: \$var_dir/master.pid
lock_file: \$lock_dir/master.lck

[database]
class: mailman.database.sqlite.SQLiteDatabase
url: sqlite:///\$DATA_DIR/mailman.db

[logging.root]
level: info
[logging.smtp]
level: info

[webservice]
hostname: 127.0.0.1
port: $MM_REST_PORT
use_https: no
show_tracebacks: yes
api_version: 3.1
admin_user: $user
admin_pass: $pass
workers: ${MAILSTACK_MM_WORKERS:-1}
configuration: $MM/gunicorn.cfg

[mta]
incoming: mailman.mta.postfix.LMTP
outgoing: mailman.mta.deliver.deliver
smtp_host: 127.0.0.1
smtp_port: $SMTP_PORT
smtp_user:
smtp_pass:
lmtp_host: 127.0.0.1
lmtp_port: $MM_LMTP_PORT
configuration: $MM/postfix-mta.cfg

[runner.retry]
sleep_time: 10s
# fewer runners = faster start/stop on 2 cores (no NNTP gateway; archiving only with MAILSTACK_MM_ARCHIVE=1)
[runner.nntp]
start: no
[runner.archive]
start: $mm_archive

[ARC]
enabled: no

[archiver.mhonarc]
enable: no
[archiver.mail_archive]
enable: no
# the prototype archiver keeps each list's posts as a Maildir under \$var_dir/archives/prototype/<list>
[archiver.prototype]
enable: $mm_archive
EOF
  # Mailman runs postmap after each list change; it must use our Postfix config dir.
  cat >"$MM/postfix-mta.cfg" <<EOF
[postfix]
postmap_command: /usr/sbin/postmap -c $PF
transport_file_type: hash
EOF
  printf '[gunicorn]\ngraceful_timeout = 2\ntimeout = 120\n' >"$MM/gunicorn.cfg"
  # Postfix reads these maps before Mailman first regenerates them: create them empty, as list.
  for f in postfix_lmtp postfix_domains; do
    [ -f "$MMV/data/$f" ] || : >"$MMV/data/$f"
  done
  chown -R list:list "$MM"
  chmod 755 "$MM" "$MMV" "$MMV/data"
  chmod 640 "$MM/mailman.cfg"
  for f in postfix_lmtp postfix_domains; do
    [ -f "$MMV/data/$f.db" ] || runuser -u list -- postmap -c "$PF" "$MMV/data/$f"
  done
}

# ---------------------------------------------------------------- start/stop of parts
start_dovecot() {
  local t=$(now)
  doveconf -c "$DV/dovecot.conf" -n >/dev/null 2>>"$LOGS/dovecot.stderr" || die "dovecot config error, see $LOGS/dovecot.stderr"
  dovecot -c "$DV/dovecot.conf" </dev/null >>"$LOGS/dovecot.stderr" 2>&1 || die "dovecot failed to start, see $LOGS/dovecot.stderr $LOGS/dovecot.log"
  wait_port "$LMTP_PORT" "$TIMEOUT" && wait_port "$SIEVE_PORT" "$TIMEOUT" && wait_port "$IMAP_PORT" "$TIMEOUT" \
    && wait_port "$DOVEADM_HTTP_PORT" "$TIMEOUT" \
    || die "dovecot ports not listening"
  T_DOVECOT=$(elapsed "$t")
}
start_postfix() {
  local t=$(now)
  postfix -c "$PF" check >>"$LOGS/postfix.stderr" 2>&1 || die "postfix check failed, see $LOGS/postfix.stderr"
  postfix -c "$PF" start </dev/null >>"$LOGS/postfix.stderr" 2>&1 || die "postfix failed to start, see $LOGS/postfix.stderr $LOGS/postfix.log"
  wait_port "$SMTP_PORT" "$TIMEOUT" || die "postfix port $SMTP_PORT not listening"
  T_POSTFIX=$(elapsed "$t")
}
start_mailman() {
  local t=$(now)
  # HOME for the list user; -C our config; master forks the runners and writes $MMV/master.pid
  ( cd "$MMV" && runuser -u list -- env HOME="$MMV" LC_ALL=C.UTF-8 \
      mailman -C "$MM/mailman.cfg" start --force </dev/null >>"$LOGS/mailman.stderr" 2>&1 ) \
      || die "mailman start failed, see $LOGS/mailman.stderr $MMV/logs/mailman.log"
  # stop must find the master's PID file even if start fails right now
  local i; for i in $(seq 1 100); do [ -s "$MMV/master.pid" ] && break; sleep 0.1; done
  wait_port "$MM_LMTP_PORT" "$TIMEOUT" || die "mailman LMTP $MM_LMTP_PORT not listening, see $MMV/logs/mailman.log"
  local end=$(( $(date +%s) + TIMEOUT )) code=
  while [ "$(date +%s)" -lt "$end" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time 5 \
      -u "${MAILSTACK_MM_USER:-restadmin}:${MAILSTACK_MM_PASS:-mailstack-rest-pass}" \
      "http://127.0.0.1:$MM_REST_PORT/3.1/system/versions" 2>/dev/null || true)
    [ "$code" = 200 ] && break
    sleep 0.2
  done
  [ "$code" = 200 ] || die "mailman REST not answering on $MM_REST_PORT (last HTTP code '$code')"
  T_MAILMAN=$(elapsed "$t")
}

# Send the stop signal to each part (by its PID file), then wait for the masters and all the
# descendants recorded before signalling; SIGKILL leftovers after 30 s. All three in parallel.
STOP_PIDS=()
signal_part() { # NAME PIDFILE STOPCMD...
  local name=$1 pidfile=$2; shift 2
  local pid; pid=$(pid_of "$pidfile" || true)
  alive "$pid" || return 0
  STOP_PIDS+=("$pid" $(descendants "$pid"))
  "$@" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
}

do_stop() {
  local t=$(now)
  STOP_PIDS=()
  signal_part mailman "$MMV/master.pid" kill -TERM "$(pid_of "$MMV/master.pid" || echo 0)"
  signal_part postfix "$PFQ/pid/master.pid" postfix -c "$PF" stop
  signal_part dovecot "$DV/run/master.pid" kill -TERM "$(pid_of "$DV/run/master.pid" || echo 0)"
  if [ ${#STOP_PIDS[@]} -gt 0 ] && ! wait_gone 30 "${STOP_PIDS[@]}"; then
    log "still running after 30 s, SIGKILL: ${STOP_PIDS[*]}"
    for p in "${STOP_PIDS[@]}"; do alive "$p" && kill -KILL "$p" 2>/dev/null || true; done
    wait_gone 5 "${STOP_PIDS[@]}" || log "processes survived SIGKILL"
  fi
  rm -f "$MMV/master.pid" "$MMV/locks/master.lck"*
  echo "stop_seconds=$(elapsed "$t") (${#STOP_PIDS[@]} processes)"
}

do_status() {
  local rc=0 n f pid
  for n in mailman:$MMV/master.pid postfix:$PFQ/pid/master.pid dovecot:$DV/run/master.pid; do
    f=${n#*:}; pid=$(pid_of "$f" || true)
    if alive "$pid"; then echo "${n%%:*}: running (pid $pid)"; else echo "${n%%:*}: stopped"; rc=3; fi
  done
  return $rc
}

do_start() {
  check_traversable
  mkdir -p "$DIR"; chmod 755 "$DIR"
  for f in "$MMV/master.pid" "$PFQ/pid/master.pid" "$DV/run/master.pid"; do
    alive "$(pid_of "$f" || true)" && die "already running ($f); run: $0 stop $DIR"
  done
  local t0; t0=$(now)
  TAKEN=
  SMTP_PORT=$(pick_port SMTP_PORT 2525);        TAKEN="$TAKEN $SMTP_PORT"
  LMTP_PORT=$(pick_port LMTP_PORT 2424);        TAKEN="$TAKEN $LMTP_PORT"
  SIEVE_PORT=$(pick_port SIEVE_PORT 14190);     TAKEN="$TAKEN $SIEVE_PORT"
  IMAP_PORT=$(pick_port IMAP_PORT 1143);        TAKEN="$TAKEN $IMAP_PORT"
  MM_REST_PORT=$(pick_port MM_REST_PORT 18001); TAKEN="$TAKEN $MM_REST_PORT"
  MM_LMTP_PORT=$(pick_port MM_LMTP_PORT 18024); TAKEN="$TAKEN $MM_LMTP_PORT"
  DOVEADM_HTTP_PORT=$(pick_port DOVEADM_HTTP_PORT 18080); TAKEN="$TAKEN $DOVEADM_HTTP_PORT"

  gen_postfix; gen_dovecot; gen_mailman
  trap 'log "start failed; stopping what was started"; do_stop >/dev/null 2>&1 || true' ERR EXIT
  T_DOVECOT=0 T_POSTFIX=0 T_MAILMAN=0
  start_dovecot
  start_postfix
  [ "${MAILSTACK_MAILMAN:-1}" = 1 ] && start_mailman
  trap - ERR EXIT

  cat >"$PORTS_ENV" <<EOF
MAILSTACK_DIR=$DIR
SMTP_HOST=127.0.0.1
SMTP_PORT=$SMTP_PORT
LMTP_PORT=$LMTP_PORT
MANAGESIEVE_PORT=$SIEVE_PORT
IMAP_PORT=$IMAP_PORT
DOVEADM_HTTP_URL=http://127.0.0.1:$DOVEADM_HTTP_PORT/doveadm/v1
DOVEADM_API_KEY=${MAILSTACK_DOVEADM_KEY:-doveadm-api-key}
MAILMAN_REST_URL=http://127.0.0.1:$MM_REST_PORT/3.1
MAILMAN_REST_PORT=$MM_REST_PORT
MAILMAN_REST_USER=${MAILSTACK_MM_USER:-restadmin}
MAILMAN_REST_PASS=${MAILSTACK_MM_PASS:-mailstack-rest-pass}
MAILMAN_LMTP_PORT=$MM_LMTP_PORT
MAILMAN_ENABLED=${MAILSTACK_MAILMAN:-1}
PGSQL_ALIASES=${MAILSTACK_PGSQL_ALIASES:-0}
PGSQL_ALIAS_DB=${MAILSTACK_PG_DB:-mailstack}
MAIL_DOMAIN=$DOMAIN
LIST_DOMAIN=$LIST_DOMAIN
USER_PASSWORD=${MAILSTACK_USER_PASS:-secret}
SIEVE_MASTER_USER=$MASTER_USER
SIEVE_MASTER_PASSWORD=${MAILSTACK_MASTER_PASS:-master-secret}
MAILDIR_ROOT=$MAIL
POSTFIX_CONFIG_DIR=$PF
POSTFIX_VIRTUAL_MAP=$PF/virtual
POSTFIX_VMAILBOX_MAP=$PF/vmailbox
DOVECOT_CONFIG=$DV/dovecot.conf
DOVECOT_USERS_FILE=$DV/users
DOVECOT_TLS_CERT=$DV/tls/cert.pem
MAILMAN_CONFIG=$MM/mailman.cfg
MAILMAN_ARCHIVE_DIR=$MMV/archives
LOG_DIR=$LOGS
EOF
  echo "start_seconds=$(elapsed "$t0") dovecot=$T_DOVECOT postfix=$T_POSTFIX mailman=$T_MAILMAN"
  cat "$PORTS_ENV"
}

do_reload() { # rebuild the hash maps in DIR/postfix and make every Postfix daemon see them now
  postmap -c "$PF" "$PF/vmailbox"; postmap -c "$PF" "$PF/virtual"
  postfix -c "$PF" reload 2>/dev/null
  # Dovecot re-reads its passwd-files when they change; no reload needed.
}

case "$CMD" in
  start) do_start ;;
  reload) do_reload ;;
  stop) do_stop ;;
  status) do_status ;;
  *) usage ;;
esac
