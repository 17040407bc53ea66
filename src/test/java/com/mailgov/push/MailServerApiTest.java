package com.mailgov.push;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.Secrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry, drift, reconcile, failed pushes and revision restore, with servers that need no
 * mail stack: FILE folders and a Postfix alias table in the test PostgreSQL.
 */
@QuarkusTest
class MailServerApiTest {

    private final List<Integer> registered = new ArrayList<>();

    @AfterEach
    void unregister() {
        // other tests must not wait for servers of this one
        registered.forEach(id -> Api.admin().delete("/api/v1/mail-servers/{id}", id));
        // a real server in ENFORCE retires the embedded default: the other tests of this app expect it
        Map<String, Object> file = Api.admin().get("/api/v1/mail-servers").then().extract().path("find { it.name == 'file' }");
        if (file != null && !Boolean.TRUE.equals(file.get("enabled"))) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "file", "kind", "FILE", "endpoint", file.get("endpoint"), "enabled", true));
            Api.admin().body(body).put("/api/v1/mail-servers/{id}", file.get("id")).then().statusCode(200);
        }
    }

    private int register(Map<String, Object> body) {
        int id = Api.admin().body(body).post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        registered.add(id);
        return id;
    }

    private static JsonPath awaitJob(int server) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JsonPath jobs = Api.admin().get("/api/v1/mail-servers/{id}/push-jobs", server).then().statusCode(200).extract().jsonPath();
            if (!"PENDING".equals(jobs.getString("[0].status"))) {
                return jobs;
            }
            sleep(200);
        }
        throw new AssertionError("job of server " + server + " still pending");
    }

    @Test
    void badRegistrationsAreRefusedFieldByFieldAndNothingIsSaved() {
        int before = Api.admin().get("/api/v1/mail-servers").then().statusCode(200).extract().path("size()");
        Api.admin().body(Map.of("name", "Bad Name!", "kind", "DOVECOT_MANAGESIEVE", "endpoint", "imap://x\r\ny",
                        "credentialRef", "env:MAILGOV_SECRET_SURELY_NOT_SET"))
                .post("/api/v1/mail-servers").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:validation-failed"))
                .body("errors.field", hasItems("name", "endpoint", "credentialRef", "username"))
                .body("errors.find { it.field == 'credentialRef' }.message", containsString("is not set"));
        Api.admin().body(Map.of("name", "pg", "kind", "POSTFIX_PGSQL", "endpoint", "postgresql://h/db; DROP TABLE x",
                        "options", Map.of("table", "x; drop")))
                .post("/api/v1/mail-servers").then().statusCode(400).body("errors.field", hasItem("endpoint"));
        Api.admin().body(Map.of("name", "mm", "kind", "MAILMAN", "endpoint", "http://user:pw@127.0.0.1:1/3.1",
                        "username", "a", "credentialRef", "password-in-clear"))
                .post("/api/v1/mail-servers").then().statusCode(400).body("errors.field", hasItems("endpoint", "credentialRef"));
        Api.admin().body(Map.of("name", "sieve", "kind", "DOVECOT_MANAGESIEVE", "endpoint", "mail.corp.example:4190",
                        "username", "sieveadmin", "credentialRef", "env:PATH",
                        "options", Map.of("tls", "sometimes", "tlsTrust", "/nonexistent/ca.pem", "concurrency", "1000")))
                .post("/api/v1/mail-servers").then().statusCode(400)
                .body("errors.field", hasItems("options.tls", "options.tlsTrust", "options.concurrency"));
        as(Api.user("req", Api.department("MS", "メール"), "requester")).body(Map.of("name", "x", "kind", "FILE", "endpoint", "x"))
                .post("/api/v1/mail-servers").then().statusCode(403);
        Api.admin().get("/api/v1/mail-servers").then().body("size()", equalTo(before));
    }

    /** Issue 12 #3: a registration sends the secret it names to its endpoint, so it may name only what is meant for that. */
    @Test
    void aCredentialRefCannotReadTheServicesOwnSecrets() throws IOException {
        int before = Api.admin().get("/api/v1/mail-servers").then().statusCode(200).extract().path("size()");
        Path outside = Files.createTempFile("outside", ".secret");
        Files.writeString(outside, "a secret outside the folder");
        String sessionKey = ConfigProvider.getConfig().getValue("quarkus.http.auth.session.encryption-key", String.class);
        Path copyOfOwn = Secrets.file("own", sessionKey); // inside the folder, but the service's own secret
        Path link = Secrets.FOLDER.resolve(Api.unique("link") + ".secret");
        Files.createSymbolicLink(link, outside);
        for (String ref : List.of("env:QUARKUS_DATASOURCE_PASSWORD", "env:QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
                "env:MAILGOV_ADMIN_PASSWORD", "env:PATH", "file:/proc/self/environ", "file:/etc/passwd",
                "file:" + outside, "file:" + link, "file:" + Secrets.FOLDER + "/../../../pom.xml", "file:" + copyOfOwn)) {
            Api.admin().body(Map.of("name", Api.unique("leak").toLowerCase(), "kind", "MAILMAN",
                            "endpoint", "http://127.0.0.1:1/3.1", "username", "x", "credentialRef", ref))
                    .post("/api/v1/mail-servers").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:mailgov:problem:validation-failed"))
                    .body("field", equalTo("credentialRef"))
                    .body("detail", not(containsString(sessionKey)));
        }
        Api.admin().get("/api/v1/mail-servers").then().body("size()", equalTo(before));
        // a file in the secrets folder is fine
        int ok = register(Map.of("name", Api.unique("mm").toLowerCase(), "kind", "MAILMAN", "endpoint", "http://127.0.0.1:1/3.1",
                "username", "x", "credentialRef", "file:" + Secrets.file("mailman", "mailman-rest-pass")));
        Api.admin().get("/api/v1/mail-servers/{id}", ok).then().statusCode(200);
    }

    /** Issue 12 #10: an auditor who looks again and again writes no audit rows or webhooks of their own. */
    @Test
    void repeatedDriftChecksByAnAuditorRecordTheDriftOnce() throws IOException {
        Path root = Files.createTempDirectory("mailgov-files");
        int server = register(Map.of("name", Api.unique("seen").toLowerCase(), "kind", "FILE", "endpoint", root.toString()));
        Api.enforce(server);
        Files.createDirectories(root.resolve("sieve"));
        Files.writeString(root.resolve("sieve").resolve(Api.unique("hand") + "@corp.example.sieve"), "keep;\r\n");
        String auditor = Api.user("aud", null, "auditor");
        for (int i = 0; i < 3; i++) {
            as(auditor).get("/api/v1/mail-servers/{id}/drift", server).then().statusCode(200).body("total", equalTo(1));
        }
        Api.admin().get("/api/v1/audit?object={id}&action=drift.detected", Integer.toString(server)).then().statusCode(200)
                .body("entries.size()", equalTo(1));
    }

    @Test
    void anUploadedMailboxListIsCheckedLineByLineAndStoredWhole() throws IOException {
        Path secret = Secrets.file("sieve", "not-used");
        int server = register(new HashMap<>(Map.of("name", Api.unique("list").toLowerCase(), "kind", "DOVECOT_MANAGESIEVE",
                "endpoint", "127.0.0.1:1", "username", "sieveadmin", "credentialRef", "file:" + secret,
                "options", Map.of("mailboxSource", "list"))));
        Api.admin().contentType("text/plain").body("sato@corp.example\nnot an address\n# comment\n\ntwo@@corp.example\n")
                .put("/api/v1/mail-servers/{id}/mailboxes", server).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("line 2", "line 5"));
        Api.admin().contentType("text/plain").body("sato@corp.example\r\nTanaka@Corp.Example\r\n")
                .put("/api/v1/mail-servers/{id}/mailboxes", server).then().statusCode(200).body("mailboxes", equalTo(2));
        Api.admin().body(Map.of("name", "dl", "kind", "DOVECOT_MANAGESIEVE", "endpoint", "127.0.0.1:1", "username", "x",
                        "credentialRef", "file:" + secret, "options", Map.of("mailboxSource", "doveadm", "doveadmUrl", "ftp://x")))
                .post("/api/v1/mail-servers").then().statusCode(400)
                .body("errors.field", hasItems("options.doveadmUrl", "options.doveadmKeyRef"));
        as(Api.user("aud", null, "auditor")).contentType("text/plain").body("a@corp.example")
                .put("/api/v1/mail-servers/{id}/mailboxes", server).then().statusCode(403);
    }

    @Test
    void aHandEditedScriptIsReportedAsDriftAndReconcileRestoresIt() throws IOException {
        String dept = Api.department("DRF", "ドリフト");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String box = Api.unique("drift") + "@corp.example";
        String id = Api.submit(requester, request(dept, "autoreply",
                item("CREATE", "MAILBOX", Map.of("address", box)),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", box, "subject", "不在", "body", "戻りは月曜です。",
                        "intervalDays", 1, "audience", "INTERNAL"))));
        Api.approve(approver, id).statusCode(200);
        Api.awaitStatus(approver, id, "APPLIED");

        // A new server is only observed; once its plan is confirmed it gets the approved state.
        Path root = Files.createTempDirectory("mailgov-files");
        int server = register(Map.of("name", Api.unique("files").toLowerCase(), "kind", "FILE", "endpoint", root.toString()));
        Api.admin().get("/api/v1/mail-servers/{id}", server).then().body("mode", equalTo("OBSERVE")).body("pendingJobs", equalTo(0));
        assertFalse(Files.exists(root.resolve("sieve")), "nothing written while observed");
        Api.admin().post("/api/v1/mail-servers/{id}/reconcile", server).then().statusCode(409)
                .body("type", equalTo("urn:mailgov:problem:invalid-state"));
        JsonPath plan = Api.enforce(server);
        assertEquals("CREATE", plan.getString("writes.find { it.key == '" + box + "' }.change"));
        assertEquals("APPLIED", awaitJob(server).getString("[0].status"));
        Path script = root.resolve("sieve").resolve(box + ".sieve");
        String approved = Files.readString(script, StandardCharsets.UTF_8);
        assertTrue(approved.contains("戻りは月曜です。"));

        // Someone changes the server by hand: an every-message reply; and puts a script of their own next to it.
        Files.writeString(script, "require \"vacation\";\r\nvacation :days 0 \"hand made\";\r\n", StandardCharsets.UTF_8);
        Path stranger = root.resolve("sieve").resolve("stranger@corp.example.sieve");
        Files.writeString(stranger, "keep;\r\n");
        Api.admin().get("/api/v1/mail-servers/{id}/drift", server).then().statusCode(200)
                .body("total", equalTo(2))
                .body("differences.find { it.key == '" + box + "' }.problem", equalTo("DIFFERENT"))
                .body("differences.find { it.key == '" + box + "' }.actual", containsString("hand made"))
                .body("differences.find { it.key == 'stranger@corp.example' }.problem", equalTo("UNMANAGED"));
        Api.admin().get("/api/v1/audit?object={id}", Integer.toString(server)).then()
                .body("entries.action", hasItem("drift.detected"));
        Api.admin().get("/api/v1/mail-servers/{id}", server).then().body("drift.differences", equalTo(2));

        Api.admin().post("/api/v1/mail-servers/{id}/reconcile", server).then().statusCode(202)
                .body("status", equalTo("PENDING"));
        JsonPath jobs = awaitJob(server);
        assertEquals("APPLIED", jobs.getString("[0].status"));
        assertEquals(1, jobs.getInt("[0].changed"), "only mailgov's own script was written");
        assertEquals(approved, Files.readString(script, StandardCharsets.UTF_8));
        assertEquals("keep;\r\n", Files.readString(stranger), "what mailgov did not put there stays");
        Api.admin().get("/api/v1/mail-servers/{id}/drift", server).then().body("total", equalTo(1))
                .body("differences[0].problem", equalTo("UNMANAGED"));
        // auditors may look, not act
        as(Api.user("aud", null, "auditor")).post("/api/v1/mail-servers/{id}/reconcile", server).then().statusCode(403);
    }

    @Test
    void removingAServerThatIsDownSettlesTheRequestsWaitingForIt() throws IOException {
        Path folder = Files.createTempDirectory("mailgov-gone").resolve("mail-config");
        String name = Api.unique("gone").toLowerCase();
        int down = register(Map.of("name", name, "kind", "FILE", "endpoint", folder.toString())); // unregistered after the test too
        Api.enforce(down);
        try (var walk = Files.walk(folder)) { // the confirmed plan wrote the directory there; now the folder breaks
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(folder, "not a folder: every write fails until someone fixes it");
        String dept = Api.department("GON", "撤去");
        String approver = Api.user("appr", null, "approver");
        String box = Api.unique("gone") + "@corp.example";
        String id = Api.submit(Api.user("req", dept, "requester"), request(dept, "autoreply",
                item("CREATE", "MAILBOX", Map.of("address", box)),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", box, "subject", "Away", "body", "Away", "intervalDays", 1, "audience", "INTERNAL"))));
        Api.approve(approver, id).statusCode(200).body("status", equalTo("APPLYING"));
        String dead = "pushes.find { it.server == '" + name + "' }";
        // attempts count from the claim; the error is written when that attempt ends
        long deadline = System.currentTimeMillis() + 30_000;
        String lastError = null;
        while (lastError == null && System.currentTimeMillis() < deadline) {
            sleep(200);
            lastError = as(approver).get("/api/v1/change-requests/{id}", id).then().extract().path(dead + ".lastError");
        }
        as(approver).get("/api/v1/change-requests/{id}", id).then() // the dead server keeps the request waiting…
                .body("status", equalTo("APPLYING"))
                .body(dead + ".status", equalTo("PENDING"))
                .body(dead + ".attempts", greaterThanOrEqualTo(1))
                .body(dead + ".lastError", containsString(folder.toString()));
        Api.admin().delete("/api/v1/mail-servers/{id}", down).then().statusCode(204);
        Api.awaitStatus(approver, id, "APPLIED"); // …until the server is removed from mailgov
    }

    @Test
    void aServerGetsOnlyTheMailOfItsDomains() throws IOException {
        Path root = Files.createTempDirectory("mailgov-branch");
        int branch = register(Map.of("name", Api.unique("branch").toLowerCase(), "kind", "FILE", "endpoint", root.toString(),
                "options", Map.of("domains", "branch.example")));
        assertEquals(0, Api.enforce(branch).getInt("writeCount"), "nothing of corp.example for the branch server");

        String dept = Api.department("DOM", "ドメイン");
        String approver = Api.user("appr", null, "approver");
        String id = Api.submit(Api.user("req", dept, "requester"), request(dept, "forward",
                item("CREATE", "FORWARD", Map.of("source", Api.unique("head") + "@corp.example", "targets", List.of("sato@corp.example")))));
        Api.approve(approver, id).statusCode(200);
        Api.awaitStatus(approver, id, "APPLIED");
        String branchName = Api.admin().get("/api/v1/mail-servers/{id}", branch).then().extract().path("name");
        as(approver).get("/api/v1/change-requests/{id}", id).then().body("pushes.server", not(hasItem(branchName)));
        assertFalse(Files.exists(root.resolve("postfix/virtual")));
        Api.admin().get("/api/v1/mail-servers/{id}/drift", branch).then().body("total", equalTo(0));
    }

    /**
     * Issue 12 (low): a Postfix pgsql server can be required to use TLS (option sslmode). The test
     * PostgreSQL on loopback speaks no TLS: with verify-full mailgov refuses to talk to it in plain
     * text and says why; with disable it is read as before; an unknown mode is refused at registration.
     */
    @Test
    void aPgsqlServerThatMustUseTlsIsNeverReadInPlainText() throws SQLException {
        String table = "mailgov_it_tls_" + Api.unique("t").toLowerCase().replaceAll("[^a-z0-9]", "");
        TestDb db = TestDb.get();
        createAliasTable(db.jdbc(), db.user(), table);
        try {
            int tls = register(new HashMap<>(Map.of("name", Api.unique("pgtls").toLowerCase(), "kind", "POSTFIX_PGSQL",
                    "endpoint", db.endpoint(), "username", db.user(), "options", Map.of("table", table, "sslmode", "verify-full"))));
            Api.admin().get("/api/v1/mail-servers/{id}/plan", tls).then().statusCode(502)
                    .body("type", equalTo("urn:mailgov:problem:server-unavailable"))
                    .body("detail", containsString("sslmode verify-full"))
                    .body("detail", containsString("SSL"));
            int plain = register(new HashMap<>(Map.of("name", Api.unique("pgplain").toLowerCase(), "kind", "POSTFIX_PGSQL",
                    "endpoint", db.endpoint(), "username", db.user(), "options", Map.of("table", table, "sslmode", "disable"))));
            Api.admin().get("/api/v1/mail-servers/{id}/plan", plain).then().statusCode(200);
            Api.admin().body(Map.of("name", Api.unique("pgbad").toLowerCase(), "kind", "POSTFIX_PGSQL", "endpoint", db.endpoint(),
                    "options", Map.of("table", table, "sslmode", "allow"))).post("/api/v1/mail-servers").then()
                    .statusCode(400).body("field", equalTo("options.sslmode"));
        } finally {
            try (Connection c = DriverManager.getConnection(db.jdbc(), db.user(), null)) {
                c.createStatement().execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /** The test PostgreSQL, registered as a Postfix pgsql server on loopback. */
    private record TestDb(String jdbc, String user, String endpoint) {
        static TestDb get() {
            String jdbc = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
            String user = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres");
            return new TestDb(jdbc, user, jdbc.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", ""));
        }
    }

    /** A Postfix pgsql alias table in the test PostgreSQL. */
    private static void createAliasTable(String jdbc, String user, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, user, null)) {
            c.createStatement().execute("CREATE TABLE " + table
                    + " (source text PRIMARY KEY, destination text NOT NULL, enabled boolean NOT NULL DEFAULT true)");
        }
    }

    @Test
    void aServerThatRefusesMakesTheRequestFailedAndARetryAfterTheFixAppliesIt() throws SQLException {
        String table = "mailgov_it_alias_" + Api.unique("t").toLowerCase().replaceAll("[^a-z0-9]", "");
        TestDb db = TestDb.get();
        int server = register(new HashMap<>(Map.of("name", Api.unique("pg").toLowerCase(), "kind", "POSTFIX_PGSQL",
                "endpoint", db.endpoint(), "username", db.user(), "options", Map.of("table", table))));
        Api.admin().get("/api/v1/mail-servers/{id}/plan", server).then().statusCode(502) // the table does not exist yet
                .body("type", equalTo("urn:mailgov:problem:server-unavailable")).body("detail", containsString(table));
        createAliasTable(db.jdbc(), db.user(), table);
        Api.enforce(server);
        try (Connection c = DriverManager.getConnection(db.jdbc(), db.user(), null)) {
            c.createStatement().execute("DROP TABLE " + table); // the server's admin breaks it
        }

        String dept = Api.department("PGF", "失敗");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String source = Api.unique("info") + "@corp.example";
        String id = Api.submit(requester, request(dept, "forward",
                item("CREATE", "FORWARD", Map.of("source", source, "targets", List.of("sato@corp.example")))));
        Api.approve(approver, id).statusCode(200).body("status", equalTo("APPLYING"));
        Api.awaitStatus(approver, id, "FAILED");
        String pushes = "pushes.find { it.serverKind == 'POSTFIX_PGSQL' }";
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body(pushes + ".status", equalTo("FAILED"))
                .body(pushes + ".attempts", equalTo(1))
                .body(pushes + ".lastError", containsString(table));
        Api.admin().get("/api/v1/audit?object={id}", id).then().body("entries.action", hasItem("change.failed"));

        try (Connection c = DriverManager.getConnection(db.jdbc(), db.user(), null)) {
            c.createStatement().execute("CREATE TABLE " + table
                    + " (source text PRIMARY KEY, destination text NOT NULL, enabled boolean NOT NULL DEFAULT true)");
            as(approver).post("/api/v1/change-requests/{id}/retry-push", id).then().statusCode(403);
            Api.admin().post("/api/v1/change-requests/{id}/retry-push", id).then().statusCode(200)
                    .body("status", equalTo("APPLYING"));
            Api.awaitStatus(approver, id, "APPLIED");
            var rs = c.createStatement().executeQuery("SELECT destination FROM " + table + " WHERE source = '" + source + "'");
            assertTrue(rs.next(), "alias row written");
            assertEquals("sato@corp.example", rs.getString(1));
        } finally {
            try (Connection c = DriverManager.getConnection(db.jdbc(), db.user(), null)) {
                c.createStatement().execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Test
    void restoringARevisionCreatesACheckedRequestThatBringsItBack() {
        String dept = Api.department("RST", "復元");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String other = Api.user("appr2", null, "approver");
        String source = Api.unique("desk") + "@corp.example";
        String first = Api.submit(requester, request(dept, "forward",
                item("CREATE", "FORWARD", Map.of("source", source, "targets", List.of("tanaka@corp.example")))));
        Api.approve(approver, first).statusCode(200);
        long good = Api.revision();
        String second = Api.submit(requester, request(dept, "change forward",
                item("UPDATE", "FORWARD", Map.of("source", source, "targets", List.of("suzuki@corp.example")))));
        Api.approve(approver, second).statusCode(200);

        as(requester).body(Map.of("reason", "x")).post("/api/v1/directory/revisions/{n}/restore", good).then().statusCode(403);
        Api.admin().body(Map.of("reason", "")).post("/api/v1/directory/revisions/{n}/restore", good).then().statusCode(400)
                .body("field", equalTo("reason"));
        Api.admin().body(Map.of("reason", "x")).post("/api/v1/directory/revisions/{n}/restore", 999_999_999).then().statusCode(404);

        List<String> created = as(approver).body(Map.of("reason", "suzuki left; back to the old desk forward"))
                .post("/api/v1/directory/revisions/{n}/restore", good).then().statusCode(201)
                .body("revision", equalTo((int) good))
                .extract().path("changeRequests");
        String restore = created.stream().filter(cr -> as(approver).get("/api/v1/change-requests/{id}", cr).then()
                .extract().jsonPath().getList("items.key").contains(source)).findFirst().orElseThrow();
        as(approver).get("/api/v1/change-requests/{id}", restore).then()
                .body("status", equalTo("SUBMITTED"))
                .body("items.find { it.key == '" + source + "' }.action", equalTo("UPDATE"))
                .body("items.find { it.key == '" + source + "' }.spec.targets", equalTo(List.of("tanaka@corp.example")));
        Api.approve(approver, restore).statusCode(403); // the restorer cannot approve it: four eyes
        Api.approve(other, restore).statusCode(200);
        as(requester).get("/api/v1/directory?kind=FORWARD").then()
                .body("objects.find { it.key == '" + source + "' }.spec.targets", equalTo(List.of("tanaka@corp.example")));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
