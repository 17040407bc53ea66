package com.mailgov.guard.detect;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared sliding window: every replica adds its counts per edge and time bucket (one batched
 * upsert per flush), and the cycle search reads the sums over all replicas. Old buckets are pruned.
 */
@ApplicationScoped
public class EdgeStore {

    /** Width of one bucket in seconds; the window is a whole number of buckets. */
    public static final int BUCKET_SECONDS = 1;

    @Inject
    AgroalDataSource db;

    public void flush(Map<Edge, EdgeCounts.Count> counts, String node, long bucket) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO guard_edge_count (src, dst, bucket, node, messages, automated, sample)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (src, dst, bucket, node) DO UPDATE SET
                  messages = guard_edge_count.messages + excluded.messages,
                  automated = guard_edge_count.automated + excluded.automated,
                  sample = coalesce(guard_edge_count.sample, excluded.sample)""")) {
            c.setAutoCommit(false);
            int n = 0;
            for (Map.Entry<Edge, EdgeCounts.Count> e : counts.entrySet()) {
                ps.setString(1, e.getKey().src());
                ps.setString(2, e.getKey().dst());
                ps.setLong(3, bucket);
                ps.setString(4, node);
                ps.setInt(5, e.getValue().messages());
                ps.setInt(6, e.getValue().automated());
                ps.setString(7, e.getValue().sample());
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Edges with at least {@code hot} messages since {@code fromBucket}, over all replicas, hottest first. */
    public List<CycleFinder.HotEdge> hot(long fromBucket, int hot, int limit) throws SQLException {
        List<CycleFinder.HotEdge> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT src, dst, sum(messages), sum(automated), max(sample) FROM guard_edge_count
                WHERE bucket >= ? GROUP BY src, dst HAVING sum(messages) >= ?
                ORDER BY sum(messages) DESC LIMIT ?""")) {
            ps.setLong(1, fromBucket);
            ps.setLong(2, hot);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CycleFinder.HotEdge(new Edge(rs.getString(1), rs.getString(2)), rs.getLong(3), rs.getLong(4),
                            rs.getString(5)));
                }
            }
        }
        return out;
    }

    public void prune(long beforeBucket) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM guard_edge_count WHERE bucket < ?")) {
            ps.setLong(1, beforeBucket);
            ps.executeUpdate();
        }
    }

    public static long bucket(long epochMillis) {
        return epochMillis / 1000 / BUCKET_SECONDS;
    }
}
