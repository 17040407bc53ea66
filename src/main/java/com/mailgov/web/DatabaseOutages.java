package com.mailgov.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Recognises a failure that means "PostgreSQL cannot be reached now" (stopped, restarting, network
 * gone, pool starved), whatever layer wrapped it: such a request is answered 503 and may be retried,
 * where any other failure is a 500 worth a stack trace.
 */
public final class DatabaseOutages {

    private DatabaseOutages() {
    }

    public static boolean isDatabaseUnavailable(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 64; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && unavailable(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            // the pool's "no connection within the acquisition timeout" carries no SQLState
            String message = e.getMessage();
            return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
        }
        // 08: connection exceptions; 57P01-57P03: the server shuts down, crashed, or does not accept connections yet
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
