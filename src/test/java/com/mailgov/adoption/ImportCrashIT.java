package com.mailgov.adoption;

import com.mailgov.push.connector.SieveByHand;
import com.mailgov.testsupport.Await;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.PackagedService;
import com.mailgov.testsupport.PostgresTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service is killed with SIGKILL (by its PID) in the middle of importing a Postfix alias
 * table of the real stack, and started again on the same database: the import resumes and completes,
 * every alias is proposed exactly once, the server is untouched, and what the Dovecot import found (a
 * hand-made responder) is still known to the risk report before any import runs again.
 * "Mid-import" is made certain, not hoped for: once the first proposed request is committed, the test
 * holds a lock on import_proposal, so the next request's commit is waiting inside PostgreSQL when the
 * process dies.
 */
class ImportCrashIT {

    private static final String ADMIN_PASSWORD = "import-crash-admin-pw-1";
    private static final String D = "corp.example";
    private static final int ALIASES = 4000; // 8 requests of 500
    private static final String RESPONDER = "user07@" + D;

    private final PostgresTestResource db = new PostgresTestResource();
    private PackagedService app;
    private MailStack stack;
    private String adminUrl;
    private String aliasDb;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (stack != null) {
            stack.stop();
        }
        if (aliasDb != null) {
            try (Connection c = DriverManager.getConnection(adminUrl, "postgres", null)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + aliasDb + " WITH (FORCE)");
            }
        }
        db.stop();
    }

    @Test
    void aServiceKilledMidImportResumesAfterRestartWithoutDuplicates() throws Exception {
        Map<String, String> props = db.start();
        String jdbc = props.get("quarkus.datasource.jdbc.url");
        int pgPort = java.net.URI.create(jdbc.substring("jdbc:".length())).getPort();
        adminUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        aliasDb = "importcrash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String aliasUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + aliasDb;
        try (Connection c = DriverManager.getConnection(adminUrl, "postgres", null)) {
            c.createStatement().execute("CREATE DATABASE " + aliasDb);
        }
        List<String> mailboxes = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            mailboxes.add(String.format("user%02d@%s", i, D));
        }
        try (Connection c = DriverManager.getConnection(aliasUrl, "postgres", null)) {
            c.createStatement().execute("CREATE TABLE virtual_alias (source text PRIMARY KEY, destination text NOT NULL, "
                    + "enabled boolean NOT NULL DEFAULT true)");
            PreparedStatement insert = c.prepareStatement("INSERT INTO virtual_alias (source, destination) VALUES (?, ?)");
            for (int i = 0; i < ALIASES; i++) {
                insert.setString(1, "old" + i + "@" + D);
                insert.setString(2, i % 3 == 0 ? mailboxes.get(i % 20) + ", " + mailboxes.get((i + 1) % 20) : mailboxes.get(i % 20));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        stack = MailStack.start(false, Map.of("MAILSTACK_PGSQL_ALIASES", "1", "MAILSTACK_PG_DB", aliasDb,
                "MAILSTACK_PG_PORT", Integer.toString(pgPort)));
        stack.addUsers(mailboxes, true);
        SieveByHand.putActive("127.0.0.1", stack.port("MANAGESIEVE_PORT"), RESPONDER, stack.env("SIEVE_MASTER_USER"),
                stack.env("SIEVE_MASTER_PASSWORD"), "own", BrownfieldImportTest.REPLY_TO_RESPONDER);
        String aliasesBefore = checksum(aliasUrl, "SELECT source, destination, enabled FROM virtual_alias ORDER BY source");
        String sieveBefore = sieve(mailboxes);

        Path data = Files.createTempDirectory("mailgov-import-crash");
        Path secrets = Files.createDirectories(data.resolve("secrets")); // allowed for credentialRef by default
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
        env.put("QUARKUS_DATASOURCE_USERNAME", props.get("quarkus.datasource.username"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", props.get("quarkus.datasource.password"));
        env.put("MAILGOV_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false");
        env.put("MAILGOV_PUSH_DRIFT_CHECK_INTERVAL", "PT1H");
        env.put("MAILGOV_INTERNAL_DOMAINS", D);
        app = start(data, env);

        int dovecot = admin().body(Map.of("name", "dovecot", "kind", "DOVECOT_MANAGESIEVE",
                "endpoint", "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), "username", stack.env("SIEVE_MASTER_USER"),
                "credentialRef", "file:" + secret(secrets, "sieve", stack.env("SIEVE_MASTER_PASSWORD")),
                "options", Map.of("mailboxSource", "doveadm", "doveadmUrl", stack.env("DOVEADM_HTTP_URL"),
                        "doveadmKeyRef", "file:" + secret(secrets, "doveadm", stack.env("DOVEADM_API_KEY")))))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        int postfix = admin().body(Map.of("name", "postfix", "kind", "POSTFIX_PGSQL",
                        "endpoint", "postgresql://127.0.0.1:" + pgPort + "/" + aliasDb, "username", "postgres"))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        Map<String, Object> rules = Map.of("rules", List.of());
        admin().body(rules).post("/api/v1/mail-servers/{id}/import", dovecot).then().statusCode(200);
        admin().get("/api/v1/risk-report").then().statusCode(200)
                .body("unmanagedResponders.find { it.key == '" + RESPONDER + "' }.kind", equalTo("AUTOREPLY"));

        long chunksSeen;
        try (Connection locker = DriverManager.getConnection(jdbc, "postgres", null);
             Connection watcher = DriverManager.getConnection(jdbc, "postgres", null)) {
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return admin().body(rules).post("/api/v1/mail-servers/{id}/import", postfix).statusCode();
                } catch (Exception killed) { // RestAssured throws the IOException undeclared
                    return -1; // the connection dies with the process
                }
            });
            locker.setAutoCommit(false);
            chunksSeen = 0;
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline) {
                locker.createStatement().execute("LOCK TABLE import_proposal IN ACCESS EXCLUSIVE MODE");
                chunksSeen = count(locker, "SELECT count(*) FROM import_proposal WHERE server_id = " + postfix);
                if (chunksSeen > 0) {
                    break; // keep the lock: the next request's commit waits for it
                }
                locker.rollback();
                assertFalse(running.isDone(), "the import ended before the first request was seen: " + running.getNow(0));
                Thread.sleep(20);
            }
            assertTrue(chunksSeen > 0 && chunksSeen < ALIASES / 500, "mid-import: " + chunksSeen + " requests committed");
            Await.until(() -> count(watcher, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE '%import_proposal%'") == 1, Duration.ofSeconds(120), "the next request waits on the lock");
            app.kill(); // SIGKILL by PID
            locker.rollback();
            Await.until(() -> count(watcher, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid NOT IN (pg_backend_pid(), " + pid(locker) + ")") == 0, Duration.ofSeconds(30),
                    "the killed service's connections are gone");
            assertEquals(-1, (int) running.get());
            assertEquals(chunksSeen, count(watcher, "SELECT count(*) FROM import_proposal WHERE server_id = " + postfix),
                    "the request being written when the process died was not committed");
            assertEquals(count(watcher, "SELECT count(*) FROM import_proposal"), count(watcher, "SELECT count(*) FROM change_request "
                    + "WHERE status = 'SUBMITTED' AND describes_server_state"), "no request without its artifact list");
        }

        app = start(data, env);
        // what the Dovecot import found is known again without importing again (observed_fact_set)
        admin().get("/api/v1/risk-report").then().statusCode(200)
                .body("unmanagedResponders.find { it.key == '" + RESPONDER + "' }.kind", equalTo("AUTOREPLY"));
        JsonPath resumed = admin().body(rules).post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(ALIASES, resumed.getInt("read"));
        assertEquals(chunksSeen * 500, resumed.getInt("pending"), "what was proposed before the crash is skipped");
        assertEquals(ALIASES - chunksSeen * 500, resumed.getInt("proposed"));
        JsonPath again = admin().body(rules).post("/api/v1/mail-servers/{id}/import", postfix).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, again.getInt("proposed"), "a completed import proposes nothing new");

        try (Connection c = DriverManager.getConnection(jdbc, "postgres", null)) {
            assertEquals(ALIASES, count(c, "SELECT count(*) FROM change_item i JOIN change_request r ON r.id = i.change_request_id "
                    + "WHERE r.status = 'SUBMITTED' AND i.kind = 'FORWARD'"), "every alias proposed");
            assertEquals(0, count(c, "SELECT count(*) FROM (SELECT i.kind, i.object_key FROM change_item i JOIN change_request r "
                    + "ON r.id = i.change_request_id WHERE r.status = 'SUBMITTED' GROUP BY 1, 2 HAVING count(*) > 1) d"),
                    "no object proposed twice");
            assertEquals(ALIASES, count(c, "SELECT count(*) FROM (SELECT unnest(artifacts) a FROM import_proposal "
                    + "WHERE server_id = " + postfix + ") x"), "every alias artifact recorded once");
            assertEquals(ALIASES, count(c, "SELECT count(DISTINCT a) FROM (SELECT unnest(artifacts) a FROM import_proposal "
                    + "WHERE server_id = " + postfix + ") x"));
        }
        assertEquals(aliasesBefore, checksum(aliasUrl, "SELECT source, destination, enabled FROM virtual_alias ORDER BY source"),
                "the alias table is untouched");
        assertEquals(sieveBefore, sieve(mailboxes), "every Sieve script is untouched");
        admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    private PackagedService start(Path data, Map<String, String> env) throws Exception {
        PackagedService s = PackagedService.launch(data, env).awaitReady(Duration.ofSeconds(120));
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = s.port();
        return s;
    }

    private static RequestSpecification admin() {
        return RestAssured.given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    private static Path secret(Path dir, String name, String value) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, value);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private String sieve(List<String> mailboxes) throws Exception {
        StringBuilder s = new StringBuilder();
        for (String box : mailboxes) {
            s.append(box).append(SieveByHand.all("127.0.0.1", stack.port("MANAGESIEVE_PORT"), box, stack.env("SIEVE_MASTER_USER"),
                    stack.env("SIEVE_MASTER_PASSWORD"))).append('\n');
        }
        return BrownfieldImportTest.sha(s.toString());
    }

    private static String checksum(String url, String sql) throws Exception {
        StringBuilder s = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement st = c.createStatement();
             ResultSet r = st.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    s.append(r.getString(i)).append('|');
                }
                s.append('\n');
            }
        }
        return BrownfieldImportTest.sha(s.toString());
    }

    private static long pid(Connection c) throws SQLException {
        return count(c, "SELECT pg_backend_pid()");
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
