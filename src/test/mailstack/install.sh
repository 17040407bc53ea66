#!/usr/bin/env bash
# Idempotent install of the Debian packages for the private Postfix + Dovecot + Mailman 3 stack.
# Leaves none of the packages' own daemons running (we only run private instances via stack.sh).
# Usage: sudo/root: bash install.sh        (prints the time it took)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C.UTF-8

PKGS=(postfix postfix-pgsql dovecot-core dovecot-imapd dovecot-lmtpd dovecot-sieve
      dovecot-managesieved mailman3 swaks openssl)
# Daemons the packages ship: name -> pid file (as written by the Debian init scripts)
declare -A PIDFILES=(
  [postfix]=/var/spool/postfix/pid/master.pid
  [dovecot]=/run/dovecot/master.pid
  [mailman3]=/run/mailman3/master.pid
  [cron]=/run/crond.pid
)

t0=$(date +%s.%N)
[ "$(id -u)" = 0 ] || { echo "install.sh: must run as root" >&2; exit 1; }

pid_alive() { local f=$1; [ -s "$f" ] && kill -0 "$(tr -dc 0-9 <"$f")" 2>/dev/null; }

# Which package daemons were running before us (we never stop those).
declare -A BEFORE=()
for s in "${!PIDFILES[@]}"; do pid_alive "${PIDFILES[$s]}" && BEFORE[$s]=1 || true; done

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing: ${missing[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # mailman3 asks dbconfig-common about its DB; we use our own mailman.cfg, so skip it.
  echo "mailman3 mailman3/dbconfig-install boolean false" | debconf-set-selections
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${PKGS[@]}"
else
  echo "install.sh: all packages already installed"
fi

# Stop any package daemon that the install started (a machine without policy-rc.d/systemd
# lets invoke-rc.d start them). Only those that were not running before.
for s in "${!PIDFILES[@]}"; do
  [ -n "${BEFORE[$s]:-}" ] && continue
  f=${PIDFILES[$s]}
  if pid_alive "$f"; then
    pid=$(tr -dc 0-9 <"$f")
    echo "install.sh: stopping package-started $s (pid $pid)"
    service "$s" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
done

# Sanity: the binaries stack.sh needs.
for b in /usr/sbin/postfix /usr/sbin/postmap /usr/sbin/postconf /usr/sbin/dovecot /usr/bin/doveadm \
         /usr/bin/sievec /usr/bin/mailman /usr/lib/dovecot/lmtp /usr/lib/dovecot/managesieve; do
  [ -x "$b" ] || { echo "install.sh: missing $b" >&2; exit 1; }
done
tmpc=$(mktemp -d); touch "$tmpc/main.cf" "$tmpc/master.cf"   # /etc/postfix has no main.cf ("No configuration")
postconf -c "$tmpc" -m | grep -qx pgsql || { rm -rf "$tmpc"; echo "install.sh: postfix pgsql map type missing" >&2; exit 1; }
rm -rf "$tmpc"

t1=$(date +%s.%N)
printf 'install.sh: done in %.1f s (postfix %s, dovecot %s, mailman %s)\n' "$(awk "BEGIN{print $t1-$t0}")" \
  "$(dpkg-query -W -f='${Version}' postfix)" "$(dpkg-query -W -f='${Version}' dovecot-core)" \
  "$(dpkg-query -W -f='${Version}' mailman3)"
