package com.mailgov.change;

import com.mailgov.config.CompanyTime;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.AddressOwner;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.pipeline.DesiredState;
import com.mailgov.push.pipeline.ServedDomains;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.push.server.ServerMode;
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
    ChangeRequestQueries changes;

    @Inject
    MailServerService servers;

    @Inject
    MailgovConfig config;

    @Inject
    com.mailgov.directory.domains.CompanyDomains domains;

    @Inject
    CompanyTime time;

    /**
     * @param change    CREATE, UPDATE or DELETE
     * @param operation what the connector does, in the server's terms
     * @param content   the new content (null when deleted, or redacted)
     * @param redacted  the artifact belongs to another department than the requester's: its content is not shown
     */
    public record Artifact(String type, String key, String change, String operation, String content, boolean redacted) {
    }

    /** @param mode ENFORCE: the server receives these artifacts; OBSERVE: shown only, nothing is written there */
    public record ServerPlan(String server, ServerKind kind, ServerMode mode, List<Artifact> artifacts) {
    }

    public record Preview(UUID changeRequest, List<ServerPlan> servers) {
    }

    public Preview preview(Actor actor, UUID id) {
        List<MailServer> registered = MailServer.list("enabled = true ORDER BY name");
        boolean listsOnMailman = servers.listsOnMailman();
        // A requester sees only their own department's artifacts in full: a forward to another
        // department's mailbox would otherwise show that mailbox's vacation script (issue 12 #5).
        String viewer = actor.limitedToOwnDepartment() ? actor.department() : null;
        return changes.plan(actor, id, (proposed, objectChanges) -> {
            List<ServerPlan> plans = new ArrayList<>();
            for (MailServer s : registered) {
                plans.add(new ServerPlan(s.name, s.kind, s.mode, artifacts(s, proposed, objectChanges, listsOnMailman, viewer)));
            }
            return new Preview(id, plans);
        });
    }

    private List<Artifact> artifacts(MailServer server, DirectoryView proposed, List<ObjectChange> objectChanges,
                                     boolean listsOnMailman, String viewer) {
        Set<ArtifactKey> scope = ServedDomains.of(servers.options(server).get("domains")).filter(new TreeSet<>(DesiredState.affectedBy(objectChanges)));
        DirectoryView current = proposed instanceof com.mailgov.directory.OverlayView o ? o.base() : proposed;
        Map<ArtifactKey, String> before = new DesiredState(current, domains.list(), listsOnMailman, time.zone()).forServer(server.kind, scope);
        Map<ArtifactKey, String> after = new DesiredState(proposed, domains.list(), listsOnMailman, time.zone()).forServer(server.kind, scope);
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
            boolean redacted = viewer != null && !ownedBy(viewer, k, proposed, current);
            out.add(new Artifact(k.type().name(), k.key(), change, operation(server, k, change), redacted ? null : now, redacted));
        }
        return out;
    }

    /** Whether the artifact's address (alias source, mailbox, list) belongs to the department, before or after the change. */
    private static boolean ownedBy(String department, ArtifactKey k, DirectoryView proposed, DirectoryView current) {
        String address = k.type() == com.mailgov.push.connector.ArtifactType.LIST_MEMBER ? k.key().split("\\|", 2)[0] : k.key();
        String owner = AddressOwner.of(proposed, address).or(() -> AddressOwner.of(current, address))
                .map(DirectoryEntry::department).orElse(null);
        return department.equals(owner);
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
                        + " (or the wrapper \"mailgov\" that runs it and then the user's own active script if that has no"
                        + " responder; with a responder of the user's own, mailgov's vacation is held)";
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
