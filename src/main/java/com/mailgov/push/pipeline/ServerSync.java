package com.mailgov.push.pipeline;

import com.mailgov.config.CompanyTime;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.MailServerConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.ReadScope;
import com.mailgov.push.ledger.ArtifactLedger;
import com.mailgov.push.server.ConnectorFactory;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.push.server.ServerMode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares a server with the approved directory (the latest committed revision) and, when asked,
 * makes it match — for what mailgov manages there only: an artifact may be created, changed or
 * removed when it is in the approved directory or in the server's {@link ArtifactLedger}; anything
 * else found is UNMANAGED and left as it is. Push jobs, drift checks, plans and reconciles are all
 * this one comparison, which is why a job repeated after a crash or an outage has no further
 * effect. Runs outside transactions: it talks to servers over the network.
 */
@ApplicationScoped
public class ServerSync {

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    @Inject
    MailServerService servers;

    @Inject
    ConnectorFactory connectors;

    @Inject
    MailgovConfig config;

    @Inject
    com.mailgov.directory.domains.CompanyDomains domains;

    @Inject
    CompanyTime time;

    @Inject
    ArtifactLedger ledger;

    @Inject
    ServerMailboxes serverMailboxes;

    @Inject
    ServerWriteLock writeLock;

    /** @param changed the artifacts that were changed on the server (none for a read-only check) */
    public record Result(long revision, List<Difference> differences, Set<ArtifactKey> changed) {

        /** How many artifacts were changed on the server. */
        public int applied() {
            return changed.size();
        }
    }

    private record Plan(MailServerTarget target, ServerMode mode, long revision, Map<ArtifactKey, String> desired,
                        Set<String> mailboxes, ServedDomains served, Set<ArtifactKey> managed) {
    }

    /**
     * @param scope artifact keys, or null for everything the server holds
     * @param apply write the fixes (only an ENFORCE server is ever written to)
     */
    public Result sync(long serverId, Set<ArtifactKey> scope, boolean apply) throws ConnectorException {
        if (!apply) {
            return compareOrFix(serverId, scope, false);
        }
        // Plan and write under the server's lock across replicas: whoever writes second plans after
        // the first has written, so an older revision never lands on top of a newer one.
        return writeLock.whileHeld(serverId, () -> compareOrFix(serverId, scope, true));
    }

    private Result compareOrFix(long serverId, Set<ArtifactKey> scope, boolean apply) throws ConnectorException {
        Plan plan;
        try {
            plan = plan(serverId, scope);
        } catch (CredentialUnavailable e) {
            throw new ConnectorException(e.getMessage(), false);
        }
        if (apply && plan.mode() != ServerMode.ENFORCE) {
            throw new ConnectorException(plan.target().name() + " is in OBSERVE mode: nothing is written to it", false);
        }
        Set<String> mailboxes = plan.mailboxes();
        if (scope == null) {
            // every mailbox the server has, not only the directory's: a responder nobody registered is drift too
            mailboxes = new TreeSet<>(mailboxes);
            mailboxes.addAll(plan.served().filterAddresses(new TreeSet<>(serverMailboxes.list(serverId, plan.target()))));
        }
        if (apply) {
            // write-ahead: what the approved directory holds is mailgov's before the first byte is written
            QuarkusTransaction.requiringNew().run(() -> ledger.record(serverId, plan.desired().keySet(), ArtifactLedger.Origin.PUSHED));
        }
        Set<ArtifactKey> managed = new TreeSet<>(plan.managed());
        managed.addAll(plan.desired().keySet());
        Set<ArtifactKey> removed = ConcurrentHashMap.newKeySet();
        try (MailServerConnector connector = connectors.open(plan.target())) {
            Set<ArtifactKey> keys = scope == null ? null : plan.served().filter(scope);
            if (keys != null && keys.isEmpty()) {
                return new Result(plan.revision(), List.of(), Set.of());
            }
            ReadScope readScope = keys == null ? ReadScope.everything(mailboxes) : ReadScope.of(keys);
            Set<ArtifactKey> applied = ConcurrentHashMap.newKeySet();
            Map<ArtifactKey, String> actual;
            try {
                actual = plan.served().filter(!apply ? connector.read(readScope)
                        : connector.readAndApply(readScope, (part, found) -> {
                            Map<ArtifactKey, String> fixes = Difference.fixes(Difference.between(
                                    desiredIn(part, plan.desired()), plan.served().filter(found), managed));
                            fixes.forEach((k, v) -> {
                                if (v == null) {
                                    removed.add(k);
                                }
                            });
                            applied.addAll(fixes.keySet());
                            return fixes;
                        }));
            } finally {
                if (!removed.isEmpty()) {
                    QuarkusTransaction.requiringNew().run(() -> ledger.release(serverId, removed));
                }
            }
            return new Result(plan.revision(), Difference.between(plan.desired(), actual, managed), new TreeSet<>(applied));
        }
    }

    /** The desired artifacts of one part of a read (a connector may fix part by part). */
    private static Map<ArtifactKey, String> desiredIn(ReadScope part, Map<ArtifactKey, String> desired) {
        if (part.isEverything()) {
            return desired;
        }
        Map<ArtifactKey, String> out = new TreeMap<>();
        for (ArtifactKey k : part.keys()) {
            String content = desired.get(k);
            if (content != null) {
                out.put(k, content);
            }
        }
        return out;
    }

    private static final class CredentialUnavailable extends RuntimeException {
        CredentialUnavailable(String message) {
            super(message);
        }
    }

    private Plan plan(long serverId, Set<ArtifactKey> scope) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MailServer s = MailServerService.find(serverId);
            MailServerTarget target;
            try {
                target = servers.target(s);
            } catch (IllegalStateException e) {
                throw new CredentialUnavailable(e.getMessage());
            }
            boolean listsOnMailman = servers.listsOnMailman();
            cache.refreshTo(directory.currentRevision());
            ServedDomains served = ServedDomains.of(target.option("domains", null));
            Set<ArtifactKey> servedScope = scope == null ? null : served.filter(scope);
            Set<ArtifactKey> managed = ledger.managed(serverId, servedScope);
            ServerMode mode = s.mode;
            return cache.read(view -> {
                DesiredState desired = new DesiredState(view, domains.list(), listsOnMailman, time.zone());
                return new Plan(target, mode, view.revision(), served.filter(desired.forServer(s.kind, servedScope)),
                        scope == null ? served.filterAddresses(desired.mailboxes()) : Set.of(), served, managed);
            });
        });
    }
}
