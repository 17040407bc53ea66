package com.mailgov.push;

import com.mailgov.change.ChangeRequestService;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.pipeline.DesiredState;
import com.mailgov.push.pipeline.ServedDomains;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The plan of a change request: per registered server, the exact artifacts it would receive —
 * virtual-alias entries, Sieve scripts, Mailman calls — computed against the current directory,
 * before approval. It is the same desired state the push worker applies.
 */
@ApplicationScoped
public class PreviewService {

    @Inject
    ChangeRequestService changes;

    @Inject
    MailServerService servers;

    @Inject
    MailgovConfig config;

    @Inject
    com.mailgov.domains.CompanyDomains domains;

    /**
     * @param change    CREATE, UPDATE or DELETE
     * @param operation what the connector does, in the server's terms
     * @param content   the new content (null when deleted)
     */
    public record Artifact(String type, String key, String change, String operation, String content) {
    }

    public record ServerPlan(String server, ServerKind kind, List<Artifact> artifacts) {
    }

    public record Preview(UUID changeRequest, List<ServerPlan> servers) {
    }

    public Preview preview(Actor actor, UUID id) {
        List<MailServer> registered = MailServer.list("enabled = true ORDER BY name");
        boolean listsOnMailman = servers.listsOnMailman();
        return changes.plan(actor, id, (proposed, objectChanges) -> {
            List<ServerPlan> plans = new ArrayList<>();
            for (MailServer s : registered) {
                plans.add(new ServerPlan(s.name, s.kind, artifacts(s, proposed, objectChanges, listsOnMailman)));
            }
            return new Preview(id, plans);
        });
    }

    private List<Artifact> artifacts(MailServer server, DirectoryView proposed, List<ObjectChange> objectChanges,
                                     boolean listsOnMailman) {
        Set<ArtifactKey> scope = ServedDomains.of(servers.options(server).get("domains")).filter(new TreeSet<>(DesiredState.affectedBy(objectChanges)));
        DirectoryView current = proposed instanceof com.mailgov.directory.OverlayView o ? o.base() : proposed;
        Map<ArtifactKey, String> before = new DesiredState(current, domains.list(), listsOnMailman).forServer(server.kind, scope);
        Map<ArtifactKey, String> after = new DesiredState(proposed, domains.list(), listsOnMailman).forServer(server.kind, scope);
        Set<ArtifactKey> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<Artifact> out = new ArrayList<>();
        for (ArtifactKey k : keys) {
            String was = before.get(k);
            String now = after.get(k);
            if (was != null && was.equals(now)) {
                continue;
            }
            String change = was == null ? "CREATE" : now == null ? "DELETE" : "UPDATE";
            out.add(new Artifact(k.type().name(), k.key(), change, operation(server, k, change), now));
        }
        return out;
    }

    /** The connector's action, named as the server's admin would recognise it. */
    private static String operation(MailServer server, ArtifactKey k, String change) {
        boolean delete = "DELETE".equals(change);
        switch (server.kind) {
            case FILE:
                return switch (k.type()) {
                    case ALIAS -> (delete ? "remove line from " : "write line in ") + "postfix/virtual";
                    case VACATION -> (delete ? "delete " : "write ") + "sieve/" + k.key() + ".sieve";
                    default -> change;
                };
            case POSTFIX_PGSQL:
                return delete ? "DELETE FROM virtual_alias WHERE source = '" + k.key() + "'"
                        : "INSERT … ON CONFLICT (source) DO UPDATE virtual_alias (" + k.key() + ")";
            case DOVECOT_MANAGESIEVE:
                return delete ? "ManageSieve as " + k.key() + ": SETACTIVE (previous script), DELETESCRIPT \"mailgov\", \"mailgov-vacation\""
                        : "ManageSieve as " + k.key() + ": CHECKSCRIPT, PUTSCRIPT \"mailgov-vacation\", SETACTIVE it"
                        + " (or the wrapper \"mailgov\" that runs it and then the user's own active script)";
            case MAILMAN:
                if (k.type() == com.mailgov.push.connector.ArtifactType.LIST) {
                    return delete ? "DELETE /lists/" + k.key()
                            : ("CREATE".equals(change) ? "POST /lists {fqdn_listname: " + k.key() + "}, " : "")
                            + "PATCH /lists/" + k.key() + "/config";
                }
                String[] pair = k.key().split("\\|", 2);
                return delete ? "DELETE /lists/" + pair[0] + "/member/" + pair[1]
                        : "POST /members {list_id: " + pair[0] + ", subscriber: " + pair[1] + ", pre_verified, pre_confirmed, pre_approved}";
            default:
                return change;
        }
    }
}
