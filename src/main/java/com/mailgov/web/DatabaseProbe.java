package com.mailgov.web;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks PostgreSQL "do you answer?" on one connection of its own, outside the pool, with short
 * time-outs. Readiness must not queue for a pooled connection behind the clients (it said UP 291 s
 * after a restart under 200 clients), and a request that found every pooled connection busy must
 * learn whether the database is away (database-unavailable) or merely busy (service-busy).
 */
@ApplicationScoped
public class DatabaseProbe {

    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class);
    static final int TIMEOUT_SECONDS = 3;
    /** A burst of pool time-outs asks the database once, not once per request. */
    private static final long REUSE_NANOS = 1_000_000_000L;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private Connection connection;
    /** Read without the lock: an IO thread must not wait while a question is under way. */
    private volatile Answer last;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    private record Answer(Result result, long at) {
        boolean fresh() {
            return System.nanoTime() - at < REUSE_NANOS;
        }
    }

    /** The answer of the database, at most a second old: for a burst of requests that found the pool busy. */
    public synchronized Result check() {
        Answer known = last;
        if (known != null && known.fresh()) {
            return known.result();
        }
        return checkNow();
    }

    /** The answer of the database now (readiness: a DOWN from a second ago must not outlive a recovery). */
    public synchronized Result checkNow() {
        Result result = ask();
        last = new Answer(result, System.nanoTime());
        return result;
    }

    /**
     * For an IO thread, which must not wait on JDBC: the last answer (false if none yet), and a fresh
     * question asked on a worker thread when that answer is older than a second.
     */
    public boolean answeredLastTime() {
        Answer known = last;
        if ((known == null || !known.fresh()) && refreshing.compareAndSet(false, true)) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    check();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return known != null && known.result().answers();
    }

    public record Result(boolean answers, String error) {
    }

    private Result ask() {
        if (url.isEmpty()) {
            return new Result(false, "no JDBC URL configured");
        }
        try {
            if (connection != null && connection.isValid(TIMEOUT_SECONDS)) {
                return new Result(true, null);
            }
            close();
            // a held connection broken by a restart of PostgreSQL is replaced at once
            connection = open();
            if (connection.isValid(TIMEOUT_SECONDS)) {
                return new Result(true, null);
            }
            return new Result(false, "the database did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (SQLException e) {
            close();
            return new Result(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        String seconds = Integer.toString(TIMEOUT_SECONDS);
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        props.setProperty("socketTimeout", seconds);
        props.setProperty("ApplicationName", "mailgov-probe");
        // the driver directly, not DriverManager: its time-outs, and no other registered driver tried
        Connection c = new org.postgresql.Driver().connect(url.get(), props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL");
        }
        return c;
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing the probe connection: %s", e.getMessage());
            }
            connection = null;
        }
    }
}
