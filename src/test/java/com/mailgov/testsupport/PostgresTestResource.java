package com.mailgov.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL for the tests: a fresh database on the server named by MAILGOV_TEST_DB_URL
 * (CI uses the machine's PostgreSQL on 127.0.0.1:5432), otherwise an embedded one in a temp folder.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;
    private String adminUrl;
    private String user;
    private String database;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("MAILGOV_TEST_DB_URL");
        try {
            if (external != null && !external.isBlank()) {
                adminUrl = external;
                user = System.getenv().getOrDefault("MAILGOV_TEST_DB_USER", "postgres");
                database = "mailgov_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                try (Connection c = DriverManager.getConnection(adminUrl, user, System.getenv("MAILGOV_TEST_DB_PASSWORD"));
                     Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + database);
                }
                String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
                return Map.of("quarkus.datasource.jdbc.url", url,
                        "quarkus.datasource.username", user,
                        "quarkus.datasource.password", System.getenv().getOrDefault("MAILGOV_TEST_DB_PASSWORD", ""));
            }
            Path dir = Files.createTempDirectory("mailgov-test-pg");
            embedded = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
            return Map.of("quarkus.datasource.jdbc.url", embedded.getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start PostgreSQL for the tests", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (embedded != null) {
                embedded.close();
            }
            if (database != null) {
                try (Connection c = DriverManager.getConnection(adminUrl, user, System.getenv("MAILGOV_TEST_DB_PASSWORD"));
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        } catch (Exception e) {
            System.err.println("test PostgreSQL cleanup failed: " + e.getMessage());
        }
    }
}
