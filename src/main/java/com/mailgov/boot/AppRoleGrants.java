package com.mailgov.boot;

import io.agroal.api.AgroalDataSource;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two database roles: Flyway migrates as the owner ({@code quarkus.flyway.username}), the service
 * runs as the app role ({@code quarkus.datasource.username}). After every migration the owner grants
 * the app role what the service needs — read and write on the tables, the sequences — and nothing on
 * the append-only tables (those with the {@code refuse_change_of_append_only_table} trigger) beyond
 * SELECT and INSERT, so the service's own role cannot change audit history even with the triggers off.
 * Re-applied at every start, so tables added by later migrations are covered. When both names are
 * the same role (the default), there is nothing to grant.
 */
@ApplicationScoped
public class AppRoleGrants implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        List<Callback> callbacks = new ArrayList<>(Arrays.asList(configuration.getCallbacks()));
        callbacks.add(new Grant());
        configuration.callbacks(callbacks.toArray(Callback[]::new));
    }

    /** One line at start when the service's role may change audit rows: then only the triggers protect them. */
    void warnIfTheServiceCanRewriteTheAudit(@Observes StartupEvent event, AgroalDataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, has_table_privilege('audit_entry', 'UPDATE'),"
                     + " pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_entry'"
                     + " AND schemaname = current_schema()), 'USAGE')")) {
            rs.next();
            if (rs.getBoolean(2) || rs.getBoolean(3)) {
                Log.warnf("The service runs as database role %s, which owns or may update the audit table; run it as a"
                        + " separate app role (quarkus.datasource.username) and migrate as the owner"
                        + " (quarkus.flyway.username): docs/security.md", rs.getString(1));
            }
        } catch (SQLException e) {
            Log.warnf("Could not check the service's database privileges: %s", e.getMessage());
        }
    }

    static final class Grant extends BaseCallback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_MIGRATE;
        }

        @Override
        public void handle(Event event, Context context) {
            String app = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).orElse("");
            try {
                Connection c = context.getConnection();
                String owner;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                    rs.next();
                    owner = rs.getString(1);
                }
                if (app.isBlank() || app.equals(owner)) {
                    return;
                }
                grant(c, app, context);
                Log.infof("Database role %s: read/write on mailgov's tables, SELECT/INSERT only on the append-only ones", app);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not grant the app role " + app + " its privileges (does the role exist,"
                        + " and does the migration role own the tables?): " + e.getMessage(), e);
            }
        }

        static void grant(Connection c, String app, Context context) throws SQLException {
            String role = quoted(app);
            List<String> appendOnly = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT DISTINCT quote_ident(c.relname) FROM pg_trigger t
                    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                    WHERE p.proname = 'refuse_change_of_append_only_table' AND c.relnamespace = current_schema()::regnamespace""")) {
                while (rs.next()) {
                    appendOnly.add(rs.getString(1));
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema(c) + " TO " + role);
                s.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + schema(c) + " TO " + role);
                for (String table : appendOnly) {
                    s.execute("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON " + table + " FROM " + role);
                }
                // the migration history is the owner's
                String history = context.getConfiguration().getTable();
                s.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON " + quoted(history) + " FROM " + role);
            }
        }

        private static String quoted(String name) {
            return '"' + name.replace("\"", "\"\"") + '"';
        }

        private static String schema(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT quote_ident(current_schema())")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
