package com.mailgov.guard.incident;

import com.mailgov.guard.detect.GuardPolicy;
import com.mailgov.policy.PolicyStore;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.DovecotSieveConnector;
import com.mailgov.push.connector.MailServerConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.server.ConnectorFactory;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One approver cuts the loop at once: the responder on the cycle is suspended on every Dovecot
 * server mailgov knows (its active Sieve script is deactivated, the text kept for a restore),
 * the incident stops holding, held messages are released, and a second person must review the
 * emergency change before the deadline (policy {@code reviewHours}).
 */
@ApplicationScoped
public class EmergencyStop {

    @Inject
    IncidentService incidents;

    @Inject
    MailServerService servers;

    @Inject
    ConnectorFactory connectors;

    @Inject
    PolicyStore policies;

    @Inject
    GuardPolicy guardPolicy;

    public LoopIncidentView stop(Actor actor, long id) {
        LoopIncidentView incident = QuarkusTransaction.requiringNew().call(() -> incidents.get(id));
        if (!incident.status().equals("OPEN")) {
            throw new ApiException(ProblemType.INVALID_STATE, "Loop incident " + id + " is " + incident.status() + ", not OPEN");
        }
        Set<String> mailboxes = responders(incident);
        if (mailboxes.isEmpty()) {
            throw new ApiException(ProblemType.INVALID_STATE,
                    "Loop incident " + id + " names no internal responder to suspend; break the cycle by hand");
        }
        List<MailServerTarget> targets = QuarkusTransaction.requiringNew().call(() -> {
            List<MailServerTarget> out = new ArrayList<>();
            for (MailServer s : MailServer.<MailServer>list("enabled = true and kind = ?1", ServerKind.DOVECOT_MANAGESIEVE)) {
                out.add(servers.target(s));
            }
            return out;
        });
        List<Map<String, Object>> suspended = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (MailServerTarget target : targets) {
            try (MailServerConnector c = connectors.open(target)) {
                for (String mailbox : mailboxes) {
                    Optional<DovecotSieveConnector.SuspendedScript> s = ((DovecotSieveConnector) c).suspendActiveScript(mailbox);
                    s.ifPresent(script -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("server", target.name());
                        m.put("mailbox", script.mailbox());
                        m.put("script", script.name());
                        m.put("text", script.text());
                        m.put("how", "deactivated over ManageSieve (SETACTIVE \"\"); the script is kept and can be activated again");
                        suspended.add(m);
                    });
                }
            } catch (ConnectorException e) {
                problems.add(target.name() + ": " + e.getMessage());
            } catch (Exception e) {
                problems.add(target.name() + ": " + e);
            }
        }
        if (suspended.isEmpty()) {
            throw new ApiException(ProblemType.SERVER_UNAVAILABLE, "No active responder of " + mailboxes
                    + " could be suspended" + (problems.isEmpty() ? " (no Dovecot server registered, or no active script)" : ": " + problems)
                    + "; the incident stays open and keeps holding the cycle's messages");
        }
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("suspended", suspended);
        action.put("problems", problems);
        action.put("at", Instant.now().toString());
        int reviewHours = policies.current().configFor(guardPolicy, null).param("reviewHours");
        return QuarkusTransaction.requiringNew().call(() -> incidents.markStopped(actor, id, action, reviewHours));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> responders(LoopIncidentView incident) {
        Set<String> out = new LinkedHashSet<>();
        Object r = incident.correlated().get("responders");
        if (r instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("mailbox") instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
