package com.mailgov.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Recognises, whatever layer wrapped it, a failure that says "come back later" rather than "bug":
 * PostgreSQL cannot be reached (stopped, restarting, network gone), no pooled connection came free
 * in time, or the transaction manager rolled the transaction back at its time-out. Such a request is
 * answered 503 and may be retried, where any other failure is a 500 worth a stack trace.
 */
public final class DatabaseOutages {

    /** What a failure says about the database. */
    public enum Kind {
        /** Not about the database's availability. */
        NONE,
        /** A connection to PostgreSQL failed or broke: the database is away. */
        UNREACHABLE,
        /** No pooled connection came free in time: away or merely busy, only asking it tells. */
        POOL_TIMEOUT,
        /** The transaction manager rolled the transaction back at its time-out: busy (or stuck on a lock). */
        TRANSACTION_TIMEOUT
    }

    private static final int MAX_DEPTH = 64;

    private DatabaseOutages() {
    }

    public static Kind classify(Throwable e) {
        Kind found = Kind.NONE;
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return Kind.UNREACHABLE;
            }
            if (t instanceof SQLException sql) {
                Kind kind = ofSql(sql);
                if (kind == Kind.UNREACHABLE) {
                    return kind;
                }
                found = kind == Kind.NONE ? found : kind;
            }
            if (found == Kind.NONE && rolledBackByTimeout(t)) {
                found = Kind.TRANSACTION_TIMEOUT;
            }
        }
        return found;
    }

    private static Kind ofSql(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            String message = lower(e.getMessage());
            // Agroal: "Sorry, acquisition timeout!" (all busy) or "Acquisition timeout while waiting for new connection"
            if (message.contains("acquisition timeout")) {
                return Kind.POOL_TIMEOUT;
            }
            // Agroal refuses a statement on a connection whose transaction the time-out already ended
            return message.contains("enlisted connection used without active transaction") ? Kind.TRANSACTION_TIMEOUT : Kind.NONE;
        }
        // 08: connection exceptions; 57P01-57P03: the server shuts down, crashed, or does not accept connections yet
        boolean unreachable = state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        return unreachable ? Kind.UNREACHABLE : Kind.NONE;
    }

    /**
     * Narayana's commit of a transaction its reaper rolled back throws RollbackException (mailgov never
     * marks a transaction rollback-only without throwing); Hibernate, used again in that transaction,
     * says it "was rolled back in a different thread" (the reaper's).
     */
    private static boolean rolledBackByTimeout(Throwable t) {
        return t instanceof jakarta.transaction.RollbackException
                || t instanceof org.hibernate.HibernateException h && lower(h.getMessage()).contains("rolled back in a different thread");
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
