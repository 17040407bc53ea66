package com.mailgov.guard.detect;

import com.mailgov.directory.domains.CompanyDomains;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.policy.facts.LoopFactSource;
import com.mailgov.policy.facts.ObservedFact;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscriptions nobody registered, seen on the mail path: a message with List-Id or List-Post
 * from an outside list reaching an internal mailbox. Collected in memory (bounded), written to
 * PostgreSQL by the guard's beat, and given to the loop engine as facts: an
 * {@link ExternalSubscriptionSpec} with unknown behaviour, i.e. the worst case, until someone
 * registers the subscription (then the directory's own object wins).
 */
@ApplicationScoped
public class ObservedSubscriptions implements LoopFactSource {

    public static final String SOURCE = "loop-guard";
    static final int MAX_PENDING = 10_000;
    private static final long CACHE_NANOS = 2_000_000_000L;

    /** One observed subscription. */
    public record Observed(String mailbox, String listAddress, String listId, Instant firstSeen, Instant lastSeen, long messages) {
    }

    private record Pending(String listId, AtomicLong messages) {
    }

    @Inject
    AgroalDataSource db;

    @Inject
    CompanyDomains domains;

    private final Map<Edge, Pending> pending = new ConcurrentHashMap<>();
    private volatile List<Observed> cached;
    private volatile long cachedAt;
    /** The company's domains as of the last beat: the hot path must not ask the database per recipient. */
    private volatile CompanyDomains.Snapshot companyDomains;

    /** Hot path: notes a list message from outside to an inside mailbox. */
    void note(String listAddress, String mailbox, String listId) {
        if (!internal(mailbox) || internal(listAddress)) {
            return;
        }
        Edge key = new Edge(mailbox, listAddress);
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= MAX_PENDING) {
                return;
            }
            p = pending.computeIfAbsent(key, k -> new Pending(listId == null ? null : listId.length() > 500 ? listId.substring(0, 500) : listId,
                    new AtomicLong()));
        }
        p.messages().incrementAndGet();
    }

    /** Writes what was noted since the last call. */
    public void flush() throws SQLException {
        companyDomains = domains.current();
        if (pending.isEmpty()) {
            return;
        }
        Map<Edge, Pending> batch = Map.copyOf(pending);
        batch.keySet().forEach(pending::remove);
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO guard_observed_subscription (mailbox, list_address, list_id, first_seen, last_seen, messages)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (mailbox, list_address) DO UPDATE SET last_seen = excluded.last_seen,
                  messages = guard_observed_subscription.messages + excluded.messages,
                  list_id = coalesce(excluded.list_id, guard_observed_subscription.list_id)""")) {
            for (Map.Entry<Edge, Pending> e : batch.entrySet()) {
                ps.setString(1, e.getKey().src());
                ps.setString(2, e.getKey().dst());
                ps.setString(3, e.getValue().listId());
                ps.setTimestamp(4, now);
                ps.setTimestamp(5, now);
                ps.setLong(6, e.getValue().messages().get());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        cached = null;
    }

    public List<Observed> list() {
        List<Observed> c = cached;
        if (c != null && System.nanoTime() - cachedAt < CACHE_NANOS) {
            return c;
        }
        List<Observed> out = new ArrayList<>();
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement("""
                SELECT mailbox, list_address, list_id, first_seen, last_seen, messages FROM guard_observed_subscription
                ORDER BY mailbox, list_address LIMIT 10000"""); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Observed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant(), rs.getLong(6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("observed subscriptions not readable", e);
        }
        cached = List.copyOf(out);
        cachedAt = System.nanoTime();
        return cached;
    }

    @Override
    public List<ObservedFact> facts() {
        return list().stream().map(o -> new ObservedFact(SOURCE,
                "mail from " + o.listAddress() + (o.listId() == null ? "" : " (List-Id " + o.listId() + ")") + " reached " + o.mailbox()
                        + ", seen " + o.messages() + " times since " + o.firstSeen(),
                new ExternalSubscriptionSpec(o.mailbox(), o.listAddress(), null, null))).toList();
    }

    private boolean internal(String address) {
        CompanyDomains.Snapshot known = companyDomains;
        if (known == null) {
            known = domains.current();
            companyDomains = known;
        }
        return known.isInternal(address.toLowerCase(Locale.ROOT));
    }
}
