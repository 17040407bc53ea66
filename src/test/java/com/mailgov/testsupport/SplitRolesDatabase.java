package com.mailgov.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A database of its own with two login roles, as docs/deployment.md asks of production: the owner
 * (Flyway migrates as it) and the app role the service runs as. Same server as
 * {@link PostgresTestResource} (MAILGOV_TEST_DB_URL, or an embedded one). Starts after it, so its
 * datasource settings are the ones the service gets.
 */
public class SplitRolesDatabase implements QuarkusTestResourceLifecycleManager {

    /** A role's log-in; tests read them from the service's config (quarkus.flyway.* is the owner, quarkus.datasource.* the app). */
    public record Login(String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        public static Login owner() {
            org.eclipse.microprofile.config.Config c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            return new Login(c.getValue("quarkus.datasource.jdbc.url", String.class),
                    c.getValue("quarkus.flyway.username", String.class), c.getValue("quarkus.flyway.password", String.class));
        }

        public static Login app() {
            org.eclipse.microprofile.config.Config c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            return new Login(c.getValue("quarkus.datasource.jdbc.url", String.class),
                    c.getValue("quarkus.datasource.username", String.class), c.getValue("quarkus.datasource.password", String.class));
        }
    }

    private EmbeddedPostgres embedded;
    private String adminUrl;
    private String adminUser;
    private String adminPassword;
    private String database;
    private String ownerRole;
    private String appRole;

    @Override
    public int order() {
        return 100; // after PostgresTestResource (0): these datasource settings win
    }

    @Override
    public Map<String, String> start() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        database = "mailgov_roles_" + suffix;
        ownerRole = "mg_owner_" + suffix;
        appRole = "mg_app_" + suffix;
        String ownerPassword = "own-" + UUID.randomUUID();
        String appPassword = "app-" + UUID.randomUUID();
        try {
            String external = System.getenv("MAILGOV_TEST_DB_URL");
            if (external != null && !external.isBlank()) {
                adminUrl = external;
                adminUser = System.getenv().getOrDefault("MAILGOV_TEST_DB_USER", "postgres");
                adminPassword = System.getenv("MAILGOV_TEST_DB_PASSWORD");
            } else {
                embedded = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("mailgov-roles-pg"))
                        .setCleanDataDirectory(true).start();
                adminUrl = embedded.getJdbcUrl("postgres", "postgres");
                adminUser = "postgres";
            }
            try (Connection c = DriverManager.getConnection(adminUrl, adminUser, adminPassword); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + ownerRole + " LOGIN PASSWORD '" + ownerPassword + "'");
                s.execute("CREATE ROLE " + appRole + " LOGIN PASSWORD '" + appPassword + "'");
                s.execute("CREATE DATABASE " + database + " OWNER " + ownerRole);
            }
            String base = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1);
            String query = adminUrl.contains("?") ? adminUrl.substring(adminUrl.indexOf('?')) : "";
            String url = base + database + query;
            try (Connection c = DriverManager.getConnection(url, adminUser, adminPassword); Statement s = c.createStatement()) {
                // The owner owns the schema; nobody else may create objects in it (PostgreSQL 15's default, made explicit).
                s.execute("ALTER SCHEMA public OWNER TO " + ownerRole);
                s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            }
            return Map.of("quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", appRole,
                    "quarkus.datasource.password", appPassword,
                    "quarkus.flyway.username", ownerRole,
                    "quarkus.flyway.password", ownerPassword);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the two-role test database", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (embedded != null) {
                embedded.close();
                return;
            }
            try (Connection c = DriverManager.getConnection(adminUrl, adminUser, adminPassword); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                s.execute("DROP ROLE IF EXISTS " + appRole);
                s.execute("DROP ROLE IF EXISTS " + ownerRole);
            }
        } catch (Exception e) {
            System.err.println("two-role test database cleanup failed: " + e.getMessage());
        }
    }
}
