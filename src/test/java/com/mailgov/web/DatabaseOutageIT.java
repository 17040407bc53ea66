package com.mailgov.web;

import com.mailgov.testsupport.Await;
import com.mailgov.testsupport.PackagedService;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: PostgreSQL stopped under a running service. Clients get a quick 503 problem (not a 500,
 * not a 401 for a password that is right, not a hang), readiness says DOWN, and when PostgreSQL is
 * back the same process serves again. The database is a PostgreSQL of the test's own, stopped with
 * pg_ctl's fast mode and started again on the same folder and port.
 */
class DatabaseOutageIT {

    private static final String ADMIN_PASSWORD = "outage-admin-pw-1";
    private static final String PASSWORD = "outage-user-pw-1";

    private EmbeddedPostgres pg;
    private PackagedService service;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void whilePostgresIsAwayEveryCallIsA503ProblemAndTheServiceRecoversWithoutARestart(@TempDir Path dir) throws Exception {
        int port = PackagedService.freePort();
        pg = startPostgres(dir.resolve("pg"), port);
        service = PackagedService.launch(dir.resolve("app"), Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MAILGOV_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "MAILGOV_INTERNAL_DOMAINS", "corp.example")).awaitReady(Duration.ofSeconds(240));
        as("admin").body(Map.of("code", "OUTAGE", "name", "障害訓練")).post("/api/v1/departments").then().statusCode(201);
        as("admin").body(Map.of("username", "outage-req", "password", PASSWORD, "roles", List.of("requester"),
                "department", "OUTAGE")).post("/api/v1/users").then().statusCode(201);
        submit("before").then().statusCode(201);

        pg.close(); // pg_ctl stop -m fast
        pg = null;
        long start = System.nanoTime();
        for (Response r : List.of(submit("during"), as("outage-req").get("/api/v1/change-requests"),
                as("admin").get("/api/v1/audit/verify"))) {
            r.then().statusCode(503).contentType(startsWith("application/problem+json"))
                    .header("Retry-After", "5")
                    .body("type", equalTo("urn:mailgov:problem:database-unavailable"))
                    .body("status", equalTo(503));
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "answered without hanging");
        RestAssured.given().baseUri(service.url()).get("/q/health/ready").then().statusCode(503);

        pg = startPostgres(dir.resolve("pg"), port);
        Await.until(() -> submit("after").statusCode() == 201, Duration.ofSeconds(60), "a submission succeeds again");
        RestAssured.given().baseUri(service.url()).get("/q/health/ready").then().statusCode(200);
        List<String> titles = as("outage-req").get("/api/v1/change-requests").then().statusCode(200).extract().path("title");
        assertEquals(List.of("after", "before"), titles, "nothing from the outage was stored");
        as("admin").get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        assertTrue(service.log().contains("Database unavailable"), "the outage is logged");
    }

    private Response submit(String title) {
        // one key per title: a retried "after" is stored once even if an attempt's answer were lost
        return as("outage-req").header("Idempotency-Key", "outage-" + title).body(Map.of("department", "OUTAGE", "title", title, "reason", "障害訓練",
                        "items", List.of(Map.of("action", "CREATE", "kind", "FORWARD",
                                "spec", Map.of("source", title + "@corp.example", "targets", List.of("sato@corp.example"))))))
                .post("/api/v1/change-requests");
    }

    private RequestSpecification as(String user) {
        return RestAssured.given().baseUri(service.url()).auth().preemptive()
                .basic(user, "admin".equals(user) ? ADMIN_PASSWORD : PASSWORD).contentType(ContentType.JSON);
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").start();
    }
}
