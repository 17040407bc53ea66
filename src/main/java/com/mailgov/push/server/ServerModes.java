package com.mailgov.push.server;

import com.mailgov.audit.AuditLog;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.ledger.ArtifactLedger;
import com.mailgov.push.pipeline.Difference;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.push.pipeline.ServerSync;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * OBSERVE and ENFORCE. Before mailgov writes to a server for the first time, an admin sees the
 * exact plan — every write per artifact with the desired and the actual text — and confirms it by
 * its hash; a plan that changed since it was shown is refused ({@code stale-plan}), so what was
 * confirmed is what gets written. The plan's reads go over the network, outside transactions.
 */
@ApplicationScoped
public class ServerModes {

    @Inject
    ServerSync sync;

    @Inject
    AuditLog audit;

    @Inject
    PushOutbox outbox;

    @Inject
    ArtifactLedger ledger;

    @Inject
    EntityManager em;

    @Inject
    MailServerService servers;

    /**
     * @param change  CREATE, UPDATE or DELETE
     * @param desired the text mailgov would write (null for DELETE)
     * @param actual  the text on the server now (null for CREATE)
     */
    public record PlannedWrite(ArtifactType type, String key, String change, String desired, String actual) {
    }

    /**
     * @param planHash  confirm exactly this plan with POST …/enforce {"planHash": …}
     * @param writes    every write the switch to ENFORCE makes (a reconcile afterwards makes the same)
     * @param unmanaged what the server holds that mailgov does not manage: never written or removed
     */
    public record ServerPlan(long server, String name, ServerMode mode, long revision, Instant computedAt, String planHash,
                             int writeCount, List<PlannedWrite> writes, int unmanagedCount, List<Difference> unmanaged,
                             long managedCount) {
    }

    public record EnforceRequest(String planHash) {
    }

    /** Reads the whole server now; {@code unmanagedLimit} caps the unmanaged artifacts listed (never the writes). */
    public ServerPlan plan(long serverId, int unmanagedLimit) throws ConnectorException {
        record Head(String name, ServerMode mode) {
        }
        Head head = QuarkusTransaction.requiringNew().call(() -> {
            MailServer s = MailServerService.find(serverId);
            return new Head(s.name, s.mode);
        });
        ServerSync.Result result = sync.sync(serverId, null, false);
        List<PlannedWrite> writes = result.differences().stream().filter(Difference::writable)
                .map(d -> new PlannedWrite(d.type(), d.key(), d.change(), d.desired(), d.actual())).toList();
        List<Difference> unmanaged = result.differences().stream().filter(d -> !d.writable()).toList();
        long managed = QuarkusTransaction.requiringNew().call(() -> ledger.count(serverId));
        return new ServerPlan(serverId, head.name(), head.mode(), result.revision(), Instant.now().truncatedTo(ChronoUnit.MICROS),
                hash(serverId, writes), writes.size(), writes, unmanaged.size(),
                unmanaged.stream().limit(unmanagedLimit).toList(), managed);
    }

    /** Switches to ENFORCE if the current plan is the one confirmed; its writes are queued as one reconcile. */
    public ServerPlan enforce(Actor actor, long serverId, EnforceRequest body) throws ConnectorException {
        String confirmed = body == null || body.planHash() == null ? "" : body.planHash().trim();
        if (!confirmed.matches("[0-9a-f]{64}")) {
            throw ApiException.invalid("planHash", "is required: the planHash of GET /api/v1/mail-servers/" + serverId + "/plan");
        }
        ServerPlan plan = plan(serverId, 0);
        if (plan.mode() == ServerMode.ENFORCE) {
            throw new ApiException(ProblemType.INVALID_STATE, "Server " + plan.name() + " is already in ENFORCE mode");
        }
        if (!plan.planHash().equals(confirmed)) {
            throw new ApiException(ProblemType.STALE_PLAN, "The plan of " + plan.name() + " changed since it was shown ("
                    + plan.writeCount() + " writes now): review GET /api/v1/mail-servers/" + serverId + "/plan and confirm that one",
                    List.of(), Map.of("planHash", plan.planHash()));
        }
        QuarkusTransaction.requiringNew().run(() -> {
            MailServer s = em.find(MailServer.class, serverId, LockModeType.PESSIMISTIC_WRITE);
            if (s == null) {
                throw ApiException.notFound("Mail server " + serverId);
            }
            if (s.mode == ServerMode.ENFORCE) {
                throw new ApiException(ProblemType.INVALID_STATE, "Server " + s.name + " is already in ENFORCE mode");
            }
            s.mode = ServerMode.ENFORCE;
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("mode", ServerMode.ENFORCE);
            after.put("planHash", plan.planHash());
            after.put("writes", plan.writeCount());
            after.put("revision", plan.revision());
            after.put("artifacts", plan.writes().stream().limit(50).map(w -> w.change() + " " + w.type() + ":" + w.key()).toList());
            audit.record(actor, "server.enforced", "MAIL_SERVER", s.id.toString(), Map.of("mode", ServerMode.OBSERVE), after);
            if (plan.writeCount() > 0) {
                // exactly the confirmed artifacts: anything that appeared since waits for the next plan or change
                Set<ArtifactKey> scope = new TreeSet<>();
                plan.writes().forEach(w -> scope.add(new ArtifactKey(w.type(), w.key())));
                outbox.enqueueReconcile(s, scope, actor);
            }
            if (s.kind != ServerKind.FILE && s.enabled) {
                retireDefaultFileServer(actor, s);
            }
        });
        return new ServerPlan(plan.server(), plan.name(), ServerMode.ENFORCE, plan.revision(), plan.computedAt(),
                plan.planHash(), plan.writeCount(), plan.writes(), plan.unmanagedCount(), List.of(), plan.managedCount());
    }

    /** Back to OBSERVE: pending jobs of the server fail when they run, nothing more is written. */
    public MailServerService.MailServerView observe(Actor actor, long serverId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MailServer s = em.find(MailServer.class, serverId, LockModeType.PESSIMISTIC_WRITE);
            if (s == null) {
                throw ApiException.notFound("Mail server " + serverId);
            }
            if (s.mode != ServerMode.OBSERVE) {
                audit.record(actor, "server.observed", "MAIL_SERVER", s.id.toString(), Map.of("mode", s.mode),
                        Map.of("mode", ServerMode.OBSERVE));
                s.mode = ServerMode.OBSERVE;
            }
            return servers.get(serverId);
        });
    }

    /**
     * The embedded default FILE server fed every change while no real server existed. Once a real
     * server takes changes, a folder that silently keeps receiving them is a second "truth" nobody
     * reads: it is disabled (not deleted: its files and history stay, an admin can enable it again).
     */
    private void retireDefaultFileServer(Actor actor, MailServer real) {
        List<MailServer> defaults = MailServer.list("kind = ?1 AND name = ?2 AND createdBy = ?3 AND enabled = true",
                ServerKind.FILE, DefaultFileServer.NAME, Actor.system().username());
        for (MailServer file : defaults) {
            file.enabled = false;
            audit.record(actor, "server.retired", "MAIL_SERVER", file.id.toString(), Map.of("enabled", true),
                    Map.of("enabled", false, "reason", "the first real mail server (" + real.name + ") switched to ENFORCE; "
                            + "the embedded default no longer receives changes"));
        }
    }

    /** SHA-256 over the server and every write (type, key, change, desired and actual text). */
    static String hash(long serverId, List<PlannedWrite> writes) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("mailgov-plan-v1\n" + serverId + "\n").getBytes(StandardCharsets.UTF_8));
            for (PlannedWrite w : writes) {
                for (String part : new String[]{w.type().name(), w.key(), w.change(), w.desired(), w.actual()}) {
                    if (part == null) {
                        d.update((byte) '-');
                        continue;
                    }
                    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                    d.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                    d.update((byte) ':');
                    d.update(bytes);
                }
                d.update((byte) '\n');
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
