package com.mailgov.push.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.mailgov.json.Json;
import com.mailgov.audit.AuditLog;
import com.mailgov.push.connector.DovecotSieveConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.PostfixPgsqlConnector;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.pipeline.PushSettled;
import com.mailgov.push.pipeline.PushJob;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.push.pipeline.ServerMailboxes;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The registry of mail servers (admin only). A server is registered in OBSERVE mode: read and
 * reported, never written, until an admin confirms its plan ({@link ServerModes}). Re-enabling an
 * ENFORCE server queues a full reconcile, so it receives the approved state without anyone copying it over.
 */
@ApplicationScoped
@Transactional
public class MailServerService {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]{1,253}:\\d{1,5}|\\[[0-9A-Fa-f:]{2,45}]:\\d{1,5}");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,39}");

    @Inject
    Json json;

    private static final TypeReference<TreeMap<String, String>> OPTIONS = new TypeReference<>() {
    };

    @Inject
    CredentialAllowList allowedCredentials;

    @Inject
    AuditLog audit;

    @Inject
    PushOutbox outbox;

    @Inject
    Event<PushSettled> settled;

    @Inject
    Event<ServerDeleted> deleted;

    public record MailServerRequest(String name, ServerKind kind, String endpoint, String username, String credentialRef,
                                    Map<String, String> options, Boolean enabled) {
    }

    public record DriftStatus(Instant checkedAt, Integer differences, String error) {
    }

    /** A server as the API shows it: where its secret lives, never the secret. */
    public record MailServerView(long id, String name, ServerKind kind, String endpoint, String username,
                                 String credentialRef, Map<String, String> options, boolean enabled,
                                 String createdBy, Instant createdAt, DriftStatus drift, long pendingJobs,
                                 ServerMode mode) {
    }

    public MailServerView register(Actor actor, MailServerRequest body) {
        return register(actor, body, ServerMode.OBSERVE);
    }

    /** {@code mode} ENFORCE only for a server that is mailgov's own (the embedded default's folder). */
    MailServerView register(Actor actor, MailServerRequest body, ServerMode mode) {
        MailServerRequest v = validate(body);
        if (MailServer.count("name", v.name()) > 0) {
            throw ApiException.invalid("name", "is already used by another server");
        }
        MailServer s = new MailServer();
        apply(s, v);
        s.createdBy = actor.username();
        s.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        s.mode = mode;
        s.persist();
        audit.record(actor, "server.registered", "MAIL_SERVER", s.id.toString(), null, auditView(s));
        if (s.enabled && s.mode == ServerMode.ENFORCE) {
            outbox.enqueueReconcile(s, actor);
        }
        return view(s);
    }

    public MailServerView update(Actor actor, long id, MailServerRequest body) {
        MailServer s = find(id);
        Map<String, Object> before = auditView(s);
        MailServerRequest v = validate(body);
        if (!v.name().equals(s.name) && MailServer.count("name", v.name()) > 0) {
            throw ApiException.invalid("name", "is already used by another server");
        }
        boolean wasEnabled = s.enabled;
        if (v.kind() != s.kind || !v.endpoint().equals(s.endpoint)) {
            // another server than the one whose plan was confirmed: it is observed until its own plan is
            s.mode = ServerMode.OBSERVE;
        }
        apply(s, v);
        audit.record(actor, "server.updated", "MAIL_SERVER", s.id.toString(), before, auditView(s));
        if (s.enabled && !wasEnabled && s.mode == ServerMode.ENFORCE) {
            outbox.enqueueReconcile(s, actor);
        }
        return view(s);
    }

    public void delete(Actor actor, long id) {
        MailServer s = find(id);
        Map<String, Object> before = auditView(s);
        // its jobs go with it; requests that were waiting only for this server are settled now
        List<java.util.UUID> waiting = PushJob.<PushJob>list("serverId = ?1 AND status = ?2 AND changeRequestId IS NOT NULL",
                s.id, PushJob.Status.PENDING).stream().map(j -> j.changeRequestId).distinct().toList();
        PushJob.delete("serverId", s.id);
        s.delete();
        audit.record(actor, "server.deleted", "MAIL_SERVER", Long.toString(id), before, null);
        waiting.forEach(request -> settled.fire(new PushSettled(request)));
        deleted.fire(new ServerDeleted(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MailServerView> list() {
        return MailServer.<MailServer>list("ORDER BY name").stream().map(this::view).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public MailServerView get(long id) {
        return view(find(id));
    }

    /** Where and how to reach the server, with its secret resolved now. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public MailServerTarget target(MailServer s) {
        return new MailServerTarget(s.name, s.kind, s.endpoint, s.username, allowedCredentials.resolve(s.credentialRef), options(s));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean listsOnMailman() {
        return MailServer.count("kind = ?1 AND enabled = true", ServerKind.MAILMAN) > 0;
    }

    public static MailServer find(long id) {
        MailServer s = MailServer.findById(id);
        if (s == null) {
            throw ApiException.notFound("Mail server " + id);
        }
        return s;
    }

    public Map<String, String> options(MailServer s) {
        return json.read(s.options, OPTIONS);
    }

    private MailServerView view(MailServer s) {
        DriftStatus drift = s.driftCheckedAt == null ? null : new DriftStatus(s.driftCheckedAt, s.driftCount, s.driftError);
        return new MailServerView(s.id, s.name, s.kind, s.endpoint, s.username, s.credentialRef, options(s), s.enabled,
                s.createdBy, s.createdAt, drift, outbox.pendingFor(s.id), s.mode);
    }

    private MailServerRequest validate(MailServerRequest body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        String name = Texts.singleLine(body.name(), "name", 64, true, errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add("name", "must be lower-case letters, digits, '.', '_' or '-' (at most 64)");
        }
        if (body.kind() == null) {
            errors.add("kind", "is required: one of FILE, POSTFIX_PGSQL, DOVECOT_MANAGESIEVE, MAILMAN");
        }
        String endpoint = Texts.singleLine(body.endpoint(), "endpoint", 500, true, errors);
        String username = Texts.singleLine(body.username(), "username", 200, false, errors);
        String ref = Texts.singleLine(body.credentialRef(), "credentialRef", 300, false, errors);
        Map<String, String> options = new TreeMap<>();
        if (body.options() != null) {
            if (body.options().size() > 20) {
                errors.add("options", "at most 20 options");
            }
            body.options().forEach((k, value) -> {
                if (k == null || !OPTION_NAME.matcher(k).matches()) {
                    errors.add("options", "option names are letters and digits, starting with a letter");
                } else {
                    String clean = Texts.singleLine(value, "options." + k, 200, true, errors);
                    if (clean != null) {
                        options.put(k, clean);
                    }
                }
            });
        }
        if (body.kind() != null && endpoint != null) {
            String problem = checkEndpoint(body.kind(), endpoint, options.get("table"));
            if (problem != null) {
                errors.add("endpoint", problem);
            }
        }
        if (body.kind() == ServerKind.POSTFIX_PGSQL) {
            String problem = PostfixPgsqlConnector.checkSslMode(options.get(PostfixPgsqlConnector.SSL_MODE));
            if (problem != null) {
                errors.add("options." + PostfixPgsqlConnector.SSL_MODE, problem);
            }
        }
        checkMailboxSource(body.kind(), options, errors);
        if (body.kind() == ServerKind.DOVECOT_MANAGESIEVE && endpoint != null && HOST_PORT.matcher(endpoint).matches()) {
            DovecotSieveConnector.checkOptions(endpoint, options).forEach((option, problem) -> errors.add("options." + option, problem));
        }
        if (ref != null) {
            String problem = Credentials.checkFormat(ref);
            if (problem == null) {
                problem = allowedCredentials.refusal(ref);
            }
            if (problem == null) {
                try {
                    allowedCredentials.resolve(ref);
                } catch (IllegalStateException e) {
                    problem = e.getMessage() + " on this host";
                }
            }
            if (problem != null) {
                errors.add("credentialRef", problem);
            }
        } else if (body.kind() == ServerKind.DOVECOT_MANAGESIEVE || body.kind() == ServerKind.MAILMAN) {
            errors.add("credentialRef", "is required for " + body.kind());
        }
        if ((body.kind() == ServerKind.DOVECOT_MANAGESIEVE || body.kind() == ServerKind.MAILMAN) && username == null) {
            errors.add("username", "is required for " + body.kind());
        }
        errors.throwIfAny();
        return new MailServerRequest(name, body.kind(), endpoint, username, ref, options, body.enabled() == null || body.enabled());
    }

    /** Where a Dovecot's mailboxes are listed from (see {@link com.mailgov.push.pipeline.ServerMailboxes}). */
    private void checkMailboxSource(ServerKind kind, Map<String, String> options, FieldErrors errors) {
        String source = options.get("mailboxSource");
        if (source == null) {
            return;
        }
        if (kind != ServerKind.DOVECOT_MANAGESIEVE || !ServerMailboxes.SOURCES.contains(source)) {
            errors.add("options.mailboxSource", "must be directory, doveadm or list, and only for DOVECOT_MANAGESIEVE");
            return;
        }
        if ("doveadm".equals(source)) {
            String url = options.get("doveadmUrl");
            try {
                URI uri = url == null ? null : URI.create(url);
                if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getUserInfo() != null) {
                    errors.add("options.doveadmUrl", "must be the http(s) URL of the doveadm HTTP API, e.g. http://127.0.0.1:8080/doveadm/v1");
                }
            } catch (IllegalArgumentException e) {
                errors.add("options.doveadmUrl", "is not a URL");
            }
            String ref = options.get("doveadmKeyRef");
            String problem = ref == null ? "is required for mailboxSource=doveadm" : Credentials.checkFormat(ref);
            if (problem == null) {
                problem = allowedCredentials.refusal(ref); // the same allow-list as credentialRef (issue 12 #3)
            }
            if (problem == null) {
                try {
                    allowedCredentials.resolve(ref);
                } catch (IllegalStateException e) {
                    problem = e.getMessage() + " on this host";
                }
            }
            if (problem != null) {
                errors.add("options.doveadmKeyRef", problem);
            }
        }
    }

    private static String checkEndpoint(ServerKind kind, String endpoint, String table) {
        switch (kind) {
            case FILE:
                return endpoint.contains("..") ? "must not contain '..'" : null;
            case POSTFIX_PGSQL:
                return PostfixPgsqlConnector.check(endpoint, table);
            case DOVECOT_MANAGESIEVE:
                return HOST_PORT.matcher(endpoint).matches() ? null : "must be host:port of the ManageSieve service";
            case MAILMAN: {
                try {
                    URI uri = URI.create(endpoint);
                    boolean ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                            && uri.getUserInfo() == null && uri.getQuery() == null;
                    return ok ? null : "must be the http(s) URL of the Mailman REST API, e.g. http://127.0.0.1:8001/3.1";
                } catch (IllegalArgumentException e) {
                    return "is not a URL";
                }
            }
            default:
                return null;
        }
    }

    private void apply(MailServer s, MailServerRequest v) {
        s.name = v.name();
        s.kind = v.kind();
        s.endpoint = v.endpoint();
        s.username = v.username();
        s.credentialRef = v.credentialRef();
        s.options = json.write(v.options());
        s.enabled = v.enabled();
    }

    private Map<String, Object> auditView(MailServer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name);
        m.put("kind", s.kind);
        m.put("endpoint", s.endpoint);
        m.put("username", s.username);
        m.put("credentialRef", s.credentialRef);
        m.put("options", options(s));
        m.put("enabled", s.enabled);
        m.put("mode", s.mode);
        return m;
    }
}
