package com.mailgov.push;

import com.mailgov.testsupport.Await;
import com.mailgov.testsupport.PackagedService;
import com.mailgov.testsupport.PostgresTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service is killed with SIGKILL while it is writing an approved change to a server,
 * and started again: the push completes, once. "Mid-push" is made certain, not hoped for: the
 * test holds a lock on the Postfix alias table, so the connector's write is waiting inside the
 * server when the process dies.
 */
class PushCrashIT {

    private static final String ADMIN_PASSWORD = "crash-test-admin-pw-1";
    private static final String PASSWORD = "crash-test-user-pw-1";

    private final PostgresTestResource db = new PostgresTestResource();
    private Process app;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
        db.stop();
    }

    @Test
    void aServiceKilledMidPushCompletesItAfterRestartExactlyOnce() throws Exception {
        Map<String, String> props = db.start();
        String jdbc = props.get("quarkus.datasource.jdbc.url");
        String user = props.get("quarkus.datasource.username");
        String table = "postfix.virtual_alias"; // its own schema: mailgov's Flyway owns "public"
        try (Connection c = DriverManager.getConnection(jdbc, user, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA postfix");
            s.execute("CREATE TABLE " + table + " (source text PRIMARY KEY, destination text NOT NULL, enabled boolean NOT NULL DEFAULT true)");
        }
        Path data = Files.createTempDirectory("mailgov-crash");
        int port = PackagedService.freePort();
        app = start(props, data, port);
        RestAssured.port = port;
        RestAssured.baseURI = "http://127.0.0.1";

        admin().body(Map.of("code", "CRASH", "name", "クラッシュ")).post("/api/v1/departments").then().statusCode(201);
        admin().body(Map.of("username", "crash-req", "password", PASSWORD, "roles", List.of("requester"), "department", "CRASH"))
                .post("/api/v1/users").then().statusCode(201);
        admin().body(Map.of("username", "crash-appr", "password", PASSWORD, "roles", List.of("approver")))
                .post("/api/v1/users").then().statusCode(201);
        int server = admin().body(Map.of("name", "postfix-crash", "kind", "POSTFIX_PGSQL", "endpoint", jdbc.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", ""),
                "username", user, "options", Map.of("table", table))).post("/api/v1/mail-servers").then().statusCode(201)
                .extract().path("id");
        // registered servers are only observed: confirm its (empty) plan so that it receives the request's push
        String planHash = admin().get("/api/v1/mail-servers/{id}/plan", server).then().statusCode(200).extract().path("planHash");
        admin().body(Map.of("planHash", planHash)).post("/api/v1/mail-servers/{id}/enforce", server).then().statusCode(200);
        Await.until(() -> admin().get("/api/v1/mail-servers/{id}", server).then().statusCode(200)
                .extract().<Integer>path("pendingJobs") == 0, Duration.ofSeconds(30), "the confirmed plan is written");

        String source = "crash-desk@corp.example";
        String id = as("crash-req").body(Map.of("department", "CRASH", "title", "forward", "reason", "crash test",
                        "items", List.of(Map.of("action", "CREATE", "kind", "FORWARD",
                                "spec", Map.of("source", source, "targets", List.of("sato@corp.example"))))))
                .post("/api/v1/change-requests").then().statusCode(201).extract().path("id");

        // pg_stat_activity is a snapshot per transaction: watch from a connection of its own
        try (Connection locker = DriverManager.getConnection(jdbc, user, null);
             Connection watcher = DriverManager.getConnection(jdbc, user, null)) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            as("crash-appr").body(Map.of("comment", "ok")).post("/api/v1/change-requests/{id}/approve", id)
                    .then().statusCode(200).body("status", equalTo("APPLYING"));
            Await.until(() -> count(watcher, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mailgov-push' "
                    + "AND wait_event_type = 'Lock'") == 1, Duration.ofSeconds(30), "the push is waiting inside the server");
            app.toHandle().destroyForcibly(); // SIGKILL
            assertTrue(app.waitFor(10, TimeUnit.SECONDS));
            locker.rollback();
        }
        try (Connection c = DriverManager.getConnection(jdbc, user, null)) {
            Await.until(() -> count(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mailgov-push'") == 0,
                    Duration.ofSeconds(30), "the killed push's connection is gone");
            assertEquals(0, count(c, "SELECT count(*) FROM " + table), "the killed write was not committed");
            assertEquals(1, count(c, "SELECT count(*) FROM push_job WHERE change_request_id = '" + id + "' AND status = 'PENDING'"));
        }

        app = start(props, data, port);
        long deadline = System.currentTimeMillis() + 60_000;
        String status = null;
        while (System.currentTimeMillis() < deadline && !"APPLIED".equals(status)) {
            Thread.sleep(300);
            status = as("crash-appr").get("/api/v1/change-requests/{id}", id).then().statusCode(200).extract().path("status");
        }
        assertEquals("APPLIED", status, "the push completed after the restart");
        as("crash-appr").get("/api/v1/change-requests/{id}", id).then()
                .body("pushes.find { it.server == 'postfix-crash' }.attempts", equalTo(2));
        try (Connection c = DriverManager.getConnection(jdbc, user, null)) {
            assertEquals(1, count(c, "SELECT count(*) FROM " + table + " WHERE source = '" + source + "' AND destination = 'sato@corp.example'"));
            assertEquals(1, count(c, "SELECT count(*) FROM " + table));
            assertEquals(1, count(c, "SELECT count(*) FROM audit_entry WHERE action = 'push.applied' AND after_state::text LIKE '%" + id + "%'"),
                    "applied once");
        }
        admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    private static RequestSpecification admin() {
        return as("admin");
    }

    private static RequestSpecification as(String user) {
        return RestAssured.given().auth().preemptive().basic(user, "admin".equals(user) ? ADMIN_PASSWORD : PASSWORD)
                .contentType(ContentType.JSON);
    }

    private static Process start(Map<String, String> props, Path data, int port) throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString());
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", props.get("quarkus.datasource.jdbc.url"));
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", props.get("quarkus.datasource.username"));
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", props.get("quarkus.datasource.password"));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("MAILGOV_DATA_DIR", data.toString());
        pb.environment().put("MAILGOV_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("MAILGOV_PUSH_LEASE", "PT5S");
        pb.environment().put("MAILGOV_PUSH_FIRST_RETRY_DELAY", "PT1S");
        pb.environment().put("MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false");
        pb.environment().put("MAILGOV_INTERNAL_DOMAINS", "corp.example"); // the company domain is data, seeded on the first start
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("service.log").toFile()));
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("service exited: " + Files.readString(data.resolve("service.log")));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("service not ready within 60 s");
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
