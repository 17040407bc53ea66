package com.mailgov.security;

import com.mailgov.testsupport.PackagedService;
import com.mailgov.testsupport.PostgresTestResource;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12 #7: two replicas started together on a fresh database (a Deployment's first install)
 * both come up, and the first account {@code admin} exists once, created and audited once.
 */
class FirstStartRaceIT {

    private static final String ADMIN_PASSWORD = "first-start-admin-pw-1";

    private final PostgresTestResource db = new PostgresTestResource();
    private final List<PackagedService> services = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (PackagedService s : services) {
            s.close();
        }
        db.stop();
    }

    @Test
    void twoInstancesStartedTogetherOnAFreshDatabaseBothStartAndCreateTheAdminOnce(@TempDir Path dir) throws Exception {
        Map<String, String> props = db.start();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", props.get("quarkus.datasource.jdbc.url"),
                "QUARKUS_DATASOURCE_USERNAME", props.get("quarkus.datasource.username"),
                "QUARKUS_DATASOURCE_PASSWORD", props.get("quarkus.datasource.password"),
                "MAILGOV_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false");
        services.add(PackagedService.launch(dir.resolve("a"), env));
        services.add(PackagedService.launch(dir.resolve("b"), env));
        for (PackagedService s : services) {
            s.awaitReady(Duration.ofSeconds(240));
        }
        for (PackagedService s : services) {
            RestAssured.given().baseUri(s.url()).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                    .get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        }
        try (Connection c = DriverManager.getConnection(props.get("quarkus.datasource.jdbc.url"),
                props.get("quarkus.datasource.username"), props.get("quarkus.datasource.password"));
             Statement s = c.createStatement()) {
            assertEquals(1, count(s, "SELECT count(*) FROM local_user"));
            assertEquals(1, count(s, "SELECT count(*) FROM audit_entry WHERE action = 'user.created'"));
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
