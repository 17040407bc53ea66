package com.mailgov.push;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.StackServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "The mail servers are the truth", on a real brownfield stack: a Postfix alias table, a Mailman and
 * a Dovecot that already hold a company's configuration before mailgov sees them. Registration only
 * observes (checksums identical), drift shows everything, ENFORCE needs the confirmed plan, and
 * afterwards mailgov writes only what it manages — a reconcile removes nothing it did not put there,
 * and a user's own Sieve responder is never wrapped while a plain filter keeps running.
 */
@QuarkusTest
@TestProfile(ServerOwnershipTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerOwnershipTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailgov.push.drift-check-interval", "PT1H");
        }
    }

    private static final String D = "corp.example";
    private static final String TAKAHASHI = "takahashi@" + D;
    private static final String SUZUKI = "suzuki@" + D;
    private static final String TANAKA = "tanaka@" + D;
    private static final String SATO = "sato@" + D;
    private static final String POSTMASTER = "postmaster@" + D;
    private static final List<String> MAILBOXES = List.of(TAKAHASHI, SUZUKI, TANAKA, SATO, POSTMASTER);
    private static final String OLD_LIST = "old-news@lists.corp.example";
    private static final String SATO_FILTER = "require [\"fileinto\"];\r\n# no vacation here, just sorting\r\n"
            + "if header :contains \"subject\" \"report\" { fileinto \"Work\"; }\r\n";

    private static StackServers servers;
    private static MailStack stack;
    private static int dovecot;
    private static int postfix;
    private static int mailman;
    private static String dept;
    private static String requester;
    private static String approver;
    private static String aliasesBefore;
    private static String mailmanBefore;
    private static Map<String, String> sieveBefore;

    @BeforeEach
    void brownfield() throws Exception {
        if (stack != null) {
            return;
        }
        // years of aliases nobody registered anywhere: role addresses, multi-target, a catch-all, 300 more
        Map<String, String> rows = new TreeMap<>(Map.of("postmaster@" + D, TAKAHASHI, "abuse@" + D, SUZUKI,
                "team-all@" + D, TANAKA + ", " + SATO, "@legacy.corp.example", TAKAHASHI));
        for (int i = 0; i < 300; i++) {
            rows.put("old" + i + "@" + D, i % 2 == 0 ? TANAKA : SATO + ", " + SUZUKI);
        }
        servers = StackServers.start("brownfield", rows, Map.of());
        stack = servers.stack;
        // a Mailman list mailgov did not create, with members
        try (MailmanConnector mm = servers.mailmanByHand()) {
            Map<ArtifactKey, String> setup = new TreeMap<>();
            setup.put(ArtifactKey.list(OLD_LIST), MailmanConnector.listContent("Old news", true, false));
            setup.put(ArtifactKey.listMember(OLD_LIST, TANAKA), "");
            setup.put(ArtifactKey.listMember(OLD_LIST, SATO), "");
            mm.apply(setup);
        }
        // the users' own Sieve scripts: a vacation, a notify responder, a plain filter, and postmaster's
        // every-day vacation that no directory knows about
        byHand(TANAKA, "away", "require [\"vacation\"];\r\nvacation :days 1 :subject \"Away\" \"Tanaka is away.\";\r\n");
        byHand(SUZUKI, "replier", "require [\"enotify\"];\r\nnotify :message \"new mail\" \"mailto:suzuki-mobile@corp.example\";\r\n");
        byHand(SATO, "filters", SATO_FILTER);
        byHand(POSTMASTER, "auto", "require [\"vacation\"];\r\nvacation :days 1 \"Postmaster reads mail on Mondays.\";\r\n");

        aliasesBefore = aliases();
        mailmanBefore = mailmanState();
        sieveBefore = sieve();

        dovecot = servers.registerDovecot(true);
        postfix = servers.registerPostfix();
        mailman = servers.registerMailman();

        dept = Api.department("OWN", "既存環境");
        requester = Api.user("req", dept, "requester");
        approver = Api.user("appr", null, "approver");
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    @Order(1)
    void registeringObservesOnlyAndDriftShowsEverythingTheServersHold() throws Exception {
        for (int server : List.of(dovecot, postfix, mailman)) {
            Api.admin().get("/api/v1/mail-servers/{id}", server).then().body("mode", equalTo("OBSERVE")).body("pendingJobs", equalTo(0));
            Api.admin().post("/api/v1/mail-servers/{id}/reconcile", server).then().statusCode(409);
        }
        // a request approved meanwhile goes nowhere near the observed servers
        String id = Api.submit(requester, request(dept, "mailboxes", item("CREATE", "MAILBOX", Map.of("address", SATO)),
                item("CREATE", "FORWARD", Map.of("source", "abuse@" + D, "targets", List.of(TAKAHASHI)))));
        approve(id).statusCode(200);
        Api.awaitStatus(approver, id, "APPLIED");
        as(approver).get("/api/v1/change-requests/{id}", id).then().body("pushes.server", equalTo(List.of("file")));

        Api.admin().get("/api/v1/mail-servers/{id}/drift?limit=1000", postfix).then().statusCode(200)
                .body("total", equalTo(304)) // 303 rows nobody registered + abuse@, approved with another target
                .body("differences.find { it.key == 'postmaster@corp.example' }.problem", equalTo("UNMANAGED"))
                .body("differences.find { it.key == 'team-all@corp.example' }.actual", equalTo(TANAKA + ", " + SATO))
                .body("differences.find { it.key == '@legacy.corp.example' }.problem", equalTo("UNMANAGED"))
                .body("differences.find { it.key == 'abuse@corp.example' }.problem", equalTo("DIFFERENT"));
        Api.admin().get("/api/v1/mail-servers/{id}/drift", mailman).then().statusCode(200)
                .body("differences.find { it.key == '" + OLD_LIST + "' }.problem", equalTo("UNMANAGED"))
                .body("differences.find { it.key == '" + OLD_LIST + "|" + SATO + "' }.problem", equalTo("UNMANAGED"));
        JsonPath sieveDrift = Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then().statusCode(200).extract().jsonPath();
        assertEquals("UNMANAGED", sieveDrift.getString("differences.find { it.key == '" + POSTMASTER + "' }.problem"),
                "postmaster is in no directory: the doveadm listing found it");
        assertTrue(sieveDrift.getString("differences.find { it.key == '" + POSTMASTER + "' }.actual")
                .startsWith("script: auto\nresponders: vacation\n"));
        assertTrue(sieveDrift.getString("differences.find { it.key == '" + SUZUKI + "' }.actual")
                .startsWith("script: replier\nresponders: notify\n"));
        assertTrue(sieveDrift.getString("differences.find { it.key == '" + SATO + "' }.actual")
                .startsWith("script: filters\nresponders: none\n"), "a comment saying vacation is no responder");

        assertEquals(aliasesBefore, aliases(), "alias table untouched");
        assertEquals(mailmanBefore, mailmanState(), "lists and members untouched");
        assertEquals(sieveBefore, sieve(), "every Sieve script untouched");
    }

    @Test
    @Order(2)
    void enforceNeedsTheConfirmedPlanAndAStalePlanIsRefused() throws Exception {
        approveAndWait(Api.submit(requester, request(dept, "autoreply and desk",
                item("CREATE", "AUTOREPLY", Map.of("mailbox", SATO, "subject", "不在", "body", "佐藤は出張中です。",
                        "intervalDays", 1, "audience", "INTERNAL")),
                item("CREATE", "FORWARD", Map.of("source", "desk@" + D, "targets", List.of(TAKAHASHI))))));

        JsonPath plan = Api.admin().get("/api/v1/mail-servers/{id}/plan", postfix).then().statusCode(200).extract().jsonPath();
        assertEquals(Map.of("abuse@corp.example", "UPDATE", "desk@corp.example", "CREATE"),
                new TreeMap<>(Map.of(plan.getString("writes[0].key"), plan.getString("writes[0].change"),
                        plan.getString("writes[1].key"), plan.getString("writes[1].change"))));
        assertEquals(2, plan.getInt("writeCount"));
        assertEquals(SUZUKI, plan.getString("writes.find { it.key == 'abuse@corp.example' }.actual"));
        assertEquals(303, plan.getInt("unmanagedCount"));

        // someone edits the table between showing and confirming: the confirmed plan is stale
        sql("INSERT INTO virtual_alias (source, destination) VALUES ('desk@corp.example', 'someone@corp.example')");
        Api.admin().body(Map.of("planHash", plan.getString("planHash"))).post("/api/v1/mail-servers/{id}/enforce", postfix).then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:stale-plan"))
                .body("planHash", org.hamcrest.Matchers.not(equalTo(plan.getString("planHash"))));
        Api.admin().get("/api/v1/mail-servers/{id}", postfix).then().body("mode", equalTo("OBSERVE"));
        Api.admin().body(Map.of("planHash", "")).post("/api/v1/mail-servers/{id}/enforce", postfix).then()
                .statusCode(400).body("field", equalTo("planHash"));
        as(approver).body(Map.of("planHash", plan.getString("planHash"))).post("/api/v1/mail-servers/{id}/enforce", postfix)
                .then().statusCode(403);

        JsonPath current = Api.enforce(postfix);
        assertEquals("UPDATE", current.getString("writes.find { it.key == 'desk@corp.example' }.change"));
        Api.enforce(mailman);
        JsonPath sievePlan = Api.enforce(dovecot);
        assertEquals(List.of(SATO), sievePlan.getList("writes.key"), "only mailgov's vacation for sato");
        Api.admin().get("/api/v1/audit?object={id}", Integer.toString(postfix)).then().body("entries.action", hasItem("server.enforced"));
        Api.admin().get("/api/v1/mail-servers").then().body("find { it.name == 'file' }.enabled", equalTo(false));

        Map<String, String> expected = new TreeMap<>(parseAliases(aliasesBefore));
        expected.put("abuse@corp.example", TAKAHASHI);
        expected.put("desk@corp.example", TAKAHASHI);
        assertEquals(expected, parseAliases(aliases()), "only the two planned rows changed");
        assertEquals(mailmanBefore, mailmanState());
        Map<String, String> sieveNow = sieve();
        for (String box : List.of(TAKAHASHI, SUZUKI, TANAKA, POSTMASTER)) {
            assertEquals(sieveBefore.get(box), sieveNow.get(box), box + " untouched");
        }
    }

    @Test
    @Order(3)
    void anApprovedChangeWritesOnlyItsArtifactAndAReconcileRemovesNothingUnmanaged() throws Exception {
        String before = aliases();
        String mailmanNow = mailmanState();
        approveAndWait(Api.submit(requester, request(dept, "sales desk",
                item("CREATE", "FORWARD", Map.of("source", "sales@" + D, "targets", List.of(TAKAHASHI, SUZUKI))))));
        Map<String, String> expected = new TreeMap<>(parseAliases(before));
        expected.put("sales@corp.example", TAKAHASHI + ", " + SUZUKI);
        assertEquals(expected, parseAliases(aliases()));

        for (int server : List.of(postfix, mailman, dovecot)) {
            Api.admin().post("/api/v1/mail-servers/{id}/reconcile", server).then().statusCode(202);
            awaitIdle(server);
            Api.admin().get("/api/v1/mail-servers/{id}/push-jobs", server).then()
                    .body("[0].status", equalTo("APPLIED")).body("[0].changed", equalTo(0));
        }
        assertEquals(expected, parseAliases(aliases()), "304 unmanaged rows are still there");
        assertEquals(mailmanNow, mailmanState(), "the list mailgov did not create is still there with its members");
        Map<String, String> sieveNow = sieve();
        for (String box : List.of(TAKAHASHI, SUZUKI, TANAKA, POSTMASTER)) {
            assertEquals(sieveBefore.get(box), sieveNow.get(box), box + " untouched");
        }
    }

    @Test
    @Order(4)
    void aPlainFilterStillRunsNextToMailgovsAutoreplyAndAUsersResponderHoldsMailgovs() throws Exception {
        // sato: the wrapper runs mailgov's vacation, then the user's filter
        String scripts = sieve().get(SATO);
        assertTrue(scripts.contains("mailgov (active)") && scripts.contains("filters=" + SATO_FILTER), scripts);
        int replies = autoReplies(TAKAHASHI);
        stack.send(TAKAHASHI, SATO, message(TAKAHASHI, SATO, "monthly report"));
        List<String> filed = awaitFolder(SATO, "Work", 1);
        assertEquals(1, filed.size(), "the user's own filter filed the message into Work");
        stack.awaitMessages(TAKAHASHI, stack.messages(TAKAHASHI).size() + 1, Duration.ofSeconds(20));
        assertEquals(replies + 1, autoReplies(TAKAHASHI), "and mailgov's autoreply answered once");

        // tanaka runs a vacation of their own: mailgov's is held, their script stays, drift says why
        String id = Api.submit(requester, request(dept, "tanaka autoreply", item("CREATE", "MAILBOX", Map.of("address", TANAKA)),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", TANAKA,
                "subject", "Out", "body", "Out of office", "intervalDays", 1, "audience", "INTERNAL"))));
        approve(id).statusCode(200);
        Api.awaitStatus(approver, id, "FAILED");
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body("pushes.find { it.server == 'dovecot' }.lastError", containsString("held"))
                .body("pushes.find { it.server == 'dovecot' }.lastError", containsString("\"away\""));
        assertEquals(sieveBefore.get(TANAKA), sieve().get(TANAKA), "tanaka's own script is untouched and active");
        Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then()
                .body("differences.find { it.key == '" + TANAKA + "' && it.type == 'VACATION' }.problem", equalTo("MISSING"))
                .body("differences.find { it.key == '" + TANAKA + "' && it.type == 'USER_SIEVE' }.actual",
                        startsWith("script: away\nresponders: vacation\n"));
    }

    @Test
    @Order(5)
    void everyNewOrChangedDifferenceIsAnnouncedEvenWhenTheirNumberStaysTheSame() throws Exception {
        Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then().statusCode(200);
        int announced = driftEvents(dovecot);
        int total = Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then().extract().path("total");
        assertEquals(announced, driftEvents(dovecot), "nothing new: nothing announced");
        // suzuki's responder changes: the same number of differences, one of them changed
        servers.sieveByHand(SUZUKI, "replier",
                "require [\"enotify\"];\r\nnotify :message \"NEW MAIL\" \"mailto:suzuki-home@corp.example\";\r\n");
        Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then().body("total", equalTo(total));
        assertEquals(announced + 1, driftEvents(dovecot));
        JsonPath last = Api.admin().get("/api/v1/audit?object={id}&action=drift.detected", Integer.toString(dovecot)).then()
                .extract().jsonPath();
        assertTrue(last.getString("entries[0].after").contains("USER_SIEVE:" + SUZUKI) || last.getString("entries").contains(SUZUKI),
                last.prettify());
        // and back to OBSERVE: nothing more is written
        Api.admin().post("/api/v1/mail-servers/{id}/observe", postfix).then().statusCode(200).body("mode", equalTo("OBSERVE"));
        String aliasesNow = aliases();
        String id = Api.submit(requester, request(dept, "another", item("CREATE", "FORWARD",
                Map.of("source", "late@" + D, "targets", List.of(TAKAHASHI)))));
        approve(id).statusCode(200);
        Api.awaitStatus(approver, id, "APPLIED");
        assertEquals(aliasesNow, aliases());
        assertNotEquals(aliasesBefore, aliasesNow);
    }

    // ------------------------------------------------------------------ helpers

    private static void approveAndWait(String id) {
        approve(id).statusCode(200);
        Api.awaitStatus(approver, id, "APPLIED");
    }

    /** Approves; a warning (the servers' own lists and responders are loop facts too) is overridden with a reason. */
    private static io.restassured.response.ValidatableResponse approve(String id) {
        return as(approver).body(Map.of("comment", "ok", "overrideReason", "brownfield test: reviewed"))
                .post("/api/v1/change-requests/{id}/approve", id).then();
    }

    private static void awaitIdle(int server) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Api.admin().get("/api/v1/mail-servers/{id}", server).then().extract().<Integer>path("pendingJobs") == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server " + server + " still has pending jobs");
    }

    private static int driftEvents(int server) {
        return Api.admin().get("/api/v1/audit?object={id}&action=drift.detected&limit=500", Integer.toString(server)).then()
                .extract().jsonPath().getList("entries").size();
    }

    private static void byHand(String mailbox, String script, String text) throws Exception {
        servers.sieveByHand(mailbox, script, text);
    }

    private static void sql(String statement) throws Exception {
        servers.sql(statement);
    }

    private static String aliases() throws Exception {
        return servers.aliases();
    }

    private static Map<String, String> parseAliases(String lines) {
        Map<String, String> out = new TreeMap<>();
        for (String line : lines.split("\n")) {
            String[] p = line.split("=");
            out.put(p[0], p[1]);
        }
        return out;
    }

    private static String mailmanState() throws Exception {
        return servers.mailmanState();
    }

    private static Map<String, String> sieve() throws Exception {
        return servers.scripts(MAILBOXES);
    }

    private static int autoReplies(String mailbox) throws Exception {
        return (int) stack.messages(mailbox).stream()
                .filter(m -> MailStackEndToEndTest.header(m, "Auto-Submitted").startsWith("auto-replied")).count();
    }

    private static List<String> awaitFolder(String mailbox, String folder, int count) throws Exception {
        Path dir = stack.maildir(mailbox).resolve("." + folder);
        long deadline = System.currentTimeMillis() + 20_000;
        List<String> out = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            out.clear();
            for (String sub : List.of("new", "cur")) {
                Path d = dir.resolve(sub);
                if (Files.isDirectory(d)) {
                    try (var files = Files.list(d)) {
                        for (Path f : files.toList()) {
                            out.add(Files.readString(f, StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
            if (out.size() >= count) {
                return out;
            }
            Thread.sleep(200);
        }
        return out;
    }

    private static String message(String from, String to, String subject) {
        return "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\nMessage-ID: <" + UUID.randomUUID() + "@test.corp.example>\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nThe figures are attached.\n";
    }
}
