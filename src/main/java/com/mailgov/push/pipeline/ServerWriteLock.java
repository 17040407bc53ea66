package com.mailgov.push.pipeline;

import com.mailgov.push.connector.ConnectorException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One writer per mail server across all replicas: a PostgreSQL session-level advisory lock keyed
 * by the server, held on a connection of its own from planning until the last write (issue 12 #7).
 * The push queue keeps one replica from running the same job twice, but two jobs of one server
 * (a full reconcile, a change's push) may be claimed by two replicas; without this lock a
 * reconcile planned at revision N could write over the push of N+1 made meanwhile. With it the
 * second writer waits, then plans at the revision current by then. A session lock, not a
 * transaction's: server calls run outside transactions, and a replica that dies loses its
 * connection and with it the lock.
 */
@ApplicationScoped
public class ServerWriteLock {

    private static final Logger LOG = Logger.getLogger(ServerWriteLock.class);

    @Inject
    AgroalDataSource db;

    /** What runs under the lock. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws ConnectorException;
    }

    /** Runs {@code work} holding the server's lock; waits while another writer holds it. */
    public <T> T whileHeld(long serverId, Work<T> work) throws ConnectorException {
        Connection c;
        try {
            c = db.getConnection();
            call(c, "SELECT pg_advisory_lock(hashtextextended(?, 0))", serverId);
        } catch (SQLException e) {
            throw new ConnectorException("could not take the write lock of server " + serverId + ": " + e.getMessage(), true, e);
        }
        try {
            return work.run();
        } finally {
            release(c, serverId);
        }
    }

    private static void release(Connection c, long serverId) {
        try {
            call(c, "SELECT pg_advisory_unlock(hashtextextended(?, 0))", serverId);
            c.close();
        } catch (SQLException e) {
            // the session may be gone, and its lock with it; one that still held the lock must not go back to the pool
            LOG.warnf("write lock of server %d: unlock failed (%s); the connection is discarded", serverId, e.getMessage());
            discard(c);
        }
    }

    private static void call(Connection c, String sql, long serverId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, "mailgov.server-write:" + serverId);
            s.executeQuery().close();
        }
    }

    private static void discard(Connection c) {
        try {
            c.abort(Runnable::run);
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // already closed
        }
    }
}
