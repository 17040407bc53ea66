package com.mailgov.push.connector;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Postfix virtual aliases in a PostgreSQL table that Postfix queries through a {@code pgsql:} map
 * (as PostfixAdmin and peers do): no postmap, no reload — the next lookup sees the change.
 * Endpoint {@code postgresql://host:port/database}; option {@code table} (default
 * {@code virtual_alias}, columns {@code source, destination, enabled}). All changes of a job are
 * one transaction.
 *
 * <p>Option {@code sslmode} (libpq's names): {@code disable}, {@code require} (encrypted, the
 * certificate is not checked), {@code verify-ca} or {@code verify-full} (the certificate must be
 * trusted by the JVM's trust store; verify-full also checks the host name). Default: {@code require},
 * or {@code prefer} for a loopback host — never the driver's silent fall-back to plain text over a
 * network, where the alias table and the password would travel in clear.
 */
public class PostfixPgsqlConnector implements MailServerConnector {

    private static final Pattern ENDPOINT = Pattern.compile("postgresql://[A-Za-z0-9.\\[\\]:-]+(:\\d{1,5})?/[A-Za-z0-9_-]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");
    private static final int BATCH = 500;
    public static final String SSL_MODE = "sslmode";
    private static final java.util.Set<String> SSL_MODES = java.util.Set.of("disable", "prefer", "require", "verify-ca", "verify-full");

    private final MailServerTarget target;
    private final String table;

    public PostfixPgsqlConnector(MailServerTarget target) {
        this.target = target;
        this.table = target.option("table", "virtual_alias");
    }

    /** Why an endpoint or table option is unusable, or null. */
    public static String check(String endpoint, String table) {
        if (endpoint == null || !ENDPOINT.matcher(endpoint).matches()) {
            return "must look like postgresql://host:port/database";
        }
        if (table != null && !IDENTIFIER.matcher(table).matches()) {
            return "option table must be a lower-case SQL identifier";
        }
        return null;
    }

    /** Why an sslmode option is unusable, or null (absent is fine: the default applies). */
    public static String checkSslMode(String sslmode) {
        return sslmode == null || SSL_MODES.contains(sslmode) ? null
                : "must be one of disable, prefer, require, verify-ca, verify-full";
    }

    /** The sslmode a connection uses: the option, else require (prefer only for a loopback host). */
    static String sslMode(MailServerTarget target) {
        String configured = target.option(SSL_MODE, null);
        if (configured != null) {
            return configured;
        }
        String host = target.endpoint().replaceFirst("^postgresql://", "").replaceFirst("/.*$", "")
                .replaceFirst(":\\d+$", "").replace("[", "").replace("]", "");
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        return loopback ? "prefer" : "require";
    }

    @Override
    public Map<ArtifactKey, String> read(ReadScope scope) throws ConnectorException {
        Map<ArtifactKey, String> out = new TreeMap<>();
        try (Connection c = connect()) {
            if (scope.isEverything()) {
                try (PreparedStatement s = c.prepareStatement("SELECT source, destination FROM " + table + " WHERE enabled");
                     ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(ArtifactKey.alias(r.getString(1)), r.getString(2));
                    }
                }
                return out;
            }
            List<String> sources = scope.keys().stream().filter(k -> k.type() == ArtifactType.ALIAS).map(ArtifactKey::key).toList();
            for (int i = 0; i < sources.size(); i += BATCH) {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT source, destination FROM " + table + " WHERE enabled AND source = ANY (?)")) {
                    s.setArray(1, c.createArrayOf("text", sources.subList(i, Math.min(sources.size(), i + BATCH)).toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            out.put(ArtifactKey.alias(r.getString(1)), r.getString(2));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void apply(Map<ArtifactKey, String> changes) throws ConnectorException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + table + " (source, destination, enabled) "
                    + "VALUES (?, ?, true) ON CONFLICT (source) DO UPDATE SET destination = excluded.destination, enabled = true");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE source = ?")) {
                int pending = 0;
                for (Map.Entry<ArtifactKey, String> e : changes.entrySet()) {
                    if (e.getKey().type() != ArtifactType.ALIAS) {
                        continue;
                    }
                    if (e.getValue() == null) {
                        delete.setString(1, e.getKey().key());
                        delete.addBatch();
                    } else {
                        upsert.setString(1, e.getKey().key());
                        upsert.setString(2, e.getValue());
                        upsert.addBatch();
                    }
                    if (++pending % BATCH == 0) {
                        delete.executeBatch();
                        upsert.executeBatch();
                    }
                }
                delete.executeBatch();
                upsert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (target.username() != null) {
            props.setProperty("user", target.username());
        }
        if (target.secret() != null) {
            props.setProperty("password", target.secret());
        }
        props.setProperty("connectTimeout", target.option("connectTimeoutSeconds", "10"));
        props.setProperty("socketTimeout", target.option("socketTimeoutSeconds", "60"));
        props.setProperty("ApplicationName", "mailgov-push");
        String sslmode = sslMode(target);
        props.setProperty("sslmode", sslmode);
        if (sslmode.startsWith("verify-")) {
            // the JVM's trust store (where a company CA is installed), not a file in the service user's home
            props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        }
        return DriverManager.getConnection("jdbc:" + target.endpoint(), props);
    }

    /** Connection trouble is worth retrying; a missing table or refused login is not. */
    private ConnectorException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean retryable = state.startsWith("08") || state.startsWith("57") || state.startsWith("40") || state.isEmpty();
        String message = "cannot " + what + " " + table + " at " + target.endpoint() + " (sslmode " + sslMode(target) + "): "
                + e.getMessage();
        return new ConnectorException(message.length() > 900 ? message.substring(0, 900) : message, retryable, e);
    }
}
