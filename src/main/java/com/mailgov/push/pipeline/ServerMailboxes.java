package com.mailgov.push.pipeline;

import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.DoveadmUsers;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.server.CredentialAllowList;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The mailboxes a Dovecot has, beyond those in the directory, so that drift and plans look at every
 * mailbox's Sieve. Server option {@code mailboxSource}: {@code directory} (default: the directory's
 * mailboxes only), {@code doveadm} (the doveadm HTTP API's {@code user} command, options
 * {@code doveadmUrl}, {@code doveadmKeyRef} = env:/file: reference of the API key, {@code doveadmMask}
 * default {@code *}), or {@code list} (addresses an admin uploaded, PUT …/mailboxes).
 */
@ApplicationScoped
public class ServerMailboxes {

    @Inject
    CredentialAllowList allowedCredentials;

    public static final Set<String> SOURCES = Set.of("directory", "doveadm", "list");

    @Inject
    EntityManager em;

    @Inject
    com.mailgov.audit.AuditLog audit;

    public List<String> list(long serverId, MailServerTarget target) throws ConnectorException {
        if (target.kind() != ServerKind.DOVECOT_MANAGESIEVE) {
            return List.of();
        }
        switch (target.option("mailboxSource", "directory")) {
            case "doveadm": {
                String key;
                try {
                    key = allowedCredentials.resolve(target.option("doveadmKeyRef", null)); // same allow-list as credentialRef
                } catch (IllegalStateException e) {
                    throw new ConnectorException(e.getMessage(), false);
                }
                if (key == null) {
                    throw new ConnectorException(target.name() + ": mailboxSource=doveadm needs option doveadmKeyRef", false);
                }
                return DoveadmUsers.list(target.option("doveadmUrl", null), key, target.option("doveadmMask", "*"),
                        Duration.ofMillis(Long.parseLong(target.option("timeoutMillis", "10000"))));
            }
            case "list":
                return uploaded(serverId);
            default:
                return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    public List<String> uploaded(long serverId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT address FROM server_mailbox WHERE server_id = :s ORDER BY address")
                .setParameter("s", serverId).getResultList());
    }

    /**
     * Replaces the uploaded mailbox list of a server (one address a line; blank lines and # comments
     * skipped). Every bad line is reported with its number and nothing is stored then.
     */
    @jakarta.transaction.Transactional
    public int replaceUploaded(com.mailgov.security.Actor actor, long serverId, String text) {
        com.mailgov.push.server.MailServer s = com.mailgov.push.server.MailServerService.find(serverId);
        com.mailgov.web.FieldErrors errors = new com.mailgov.web.FieldErrors();
        java.util.Set<String> addresses = new java.util.TreeSet<>();
        String[] lines = text == null ? new String[0] : text.replace("\r\n", "\n").split("\n");
        if (lines.length > 200_000) {
            throw com.mailgov.web.ApiException.invalid("body", "at most 200000 lines");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            com.mailgov.directory.MailAddresses.Result r = com.mailgov.directory.MailAddresses.normalise(line);
            if (r.ok()) {
                addresses.add(r.address());
            } else if (errors.size() < 100) {
                errors.add("line " + (i + 1), r.error());
            }
        }
        errors.throwIfAny();
        em.createNativeQuery("DELETE FROM server_mailbox WHERE server_id = :s").setParameter("s", serverId).executeUpdate();
        em.unwrap(org.hibernate.Session.class).doWork(c -> {
            try (java.sql.PreparedStatement st = c.prepareStatement(
                    "INSERT INTO server_mailbox (server_id, address) SELECT ?, a FROM unnest(?::text[]) AS u(a)")) {
                st.setLong(1, serverId);
                st.setArray(2, c.createArrayOf("text", addresses.toArray()));
                st.executeUpdate();
            }
        });
        audit.record(actor, "server.mailboxes_uploaded", "MAIL_SERVER", Long.toString(serverId), null,
                java.util.Map.of("server", s.name, "mailboxes", addresses.size()));
        return addresses.size();
    }
}
