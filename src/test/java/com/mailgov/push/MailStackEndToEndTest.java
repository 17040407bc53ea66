package com.mailgov.push;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.push.connector.SieveByHand;
import com.mailgov.push.connector.ServerKind;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approved changes reach a real Postfix (pgsql alias table), Dovecot (ManageSieve) and Mailman 3
 * on loopback, and mail then behaves as approved. Its own profile, so its own database: the
 * servers registered here see only this class's directory.
 */
@QuarkusTest
@TestProfile(MailStackEndToEndTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailStackEndToEndTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailgov.push.drift-check-interval", "PT1H");
        }
    }

    private static final String DOMAIN = "corp.example";
    private static final String TAKAHASHI = "takahashi@" + DOMAIN;
    private static final String SUZUKI = "suzuki@" + DOMAIN;
    private static final String TANAKA = "tanaka@" + DOMAIN;
    private static final String SATO = "sato@" + DOMAIN;
    private static final String SUBJECT = "不在のお知らせ \"OOO\" \\ ${name}";
    private static final String BODY = "高橋は 12/1 まで不在です。\n\"quoted\" and \\backslash\n.\n${name} stays text\n最後の行";

    private static MailStack stack;
    private static StackServers servers;
    private static int dovecot;
    private static String dept;
    private static String requester;
    private static String approver;

    /** In the first test, not @BeforeAll: RestAssured knows the service's (random) port only then. */
    @BeforeEach
    void startStack() throws Exception {
        if (stack != null) {
            return;
        }
        servers = StackServers.start("mailstack", Map.of(), Map.of());
        stack = servers.stack;
        dovecot = servers.registerDovecot(false);
        servers.registerPostfix();
        servers.registerMailman();
        for (String name : List.of("dovecot", "postfix", "mailman")) {
            Api.enforce(serverId(name)); // registered servers are only observed until their plan is confirmed
        }

        dept = Api.department("E2E", "結合試験");
        requester = Api.user("req", dept, "requester");
        approver = Api.user("appr", null, "approver");
        List<Map<String, Object>> mailboxes = new ArrayList<>();
        for (String box : List.of(TAKAHASHI, SUZUKI, TANAKA, SATO)) {
            mailboxes.add(item("CREATE", "MAILBOX", Map.of("address", box)));
        }
        approve(Api.submit(requester, Map.of("department", dept, "title", "mailboxes", "reason", "e2e", "items", mailboxes)));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    @Order(1)
    void anApprovedAutoreplyIsOnDovecotAndAnswersADirectMessageExactlyOnceWithTheTextAsWritten() throws Exception {
        // CR/LF in the subject never gets as far as a request
        as(requester).body(request(dept, "bad", item("CREATE", "AUTOREPLY", Map.of("mailbox", TAKAHASHI,
                        "subject", "不在\r\nBcc: all@corp.example", "body", "x", "intervalDays", 1, "audience", "INTERNAL"))))
                .post("/api/v1/change-requests").then().statusCode(400).body("errors.field", hasItem("items[0].spec.subject"));

        String id = Api.submit(requester, request(dept, "autoreply", item("CREATE", "AUTOREPLY", Map.of("mailbox", TAKAHASHI,
                "subject", SUBJECT, "body", BODY, "intervalDays", 1, "audience", "INTERNAL"))));
        String preview = "servers.find { it.server == 'dovecot' }.artifacts[0]";
        as(approver).get("/api/v1/change-requests/{id}/preview", id).then().statusCode(200)
                .body(preview + ".operation", containsString("PUTSCRIPT \"mailgov-vacation\""))
                .body(preview + ".content", containsString(":days 1"));
        approve(id);
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body("pushes.find { it.server == 'dovecot' }.status", equalTo("APPLIED"));

        int before = stack.messages(SUZUKI).size();
        stack.send(SUZUKI, TAKAHASHI, message(SUZUKI, TAKAHASHI, "会議の件", ""));
        List<String> replies = replies(stack.awaitMessages(SUZUKI, before + 1, Duration.ofSeconds(20)), before);
        assertEquals(1, replies.size(), "one vacation reply");
        String reply = replies.get(0);
        assertTrue(header(reply, "Auto-Submitted").startsWith("auto-replied"), reply);
        assertEquals(SUBJECT, decodeWords(header(reply, "Subject")), "subject exactly as approved");
        assertTrue(header(reply, "Subject").contains("=?"), "a non-ASCII subject is MIME-encoded");
        assertTrue(header(reply, "Content-Type").toLowerCase().contains("charset=\"utf-8\"") || header(reply, "Content-Type").toLowerCase().contains("charset=utf-8"));
        assertEquals(BODY, bodyOf(reply).strip(), "body exactly as approved, including the lone dot line");

        // the same sender again within the interval: no second reply
        stack.send(SUZUKI, TAKAHASHI, message(SUZUKI, TAKAHASHI, "もう一通", ""));
        // list traffic: never answered
        stack.send(SATO, TAKAHASHI, message(SATO, TAKAHASHI, "[team] news", "List-Id: <team.lists.corp.example>\n"));
        stack.send(TANAKA, TAKAHASHI, message(TANAKA, TAKAHASHI, "bulk", "Precedence: list\n"));
        stack.awaitMessages(TAKAHASHI, stack.messages(TAKAHASHI).size() + 99, Duration.ofSeconds(3)); // let all three be delivered
        assertEquals(1, replies(stack.messages(SUZUKI), before).size(), "no reply to the second message");
        assertEquals(0, replies(stack.messages(SATO), 0).size(), "no reply to a List-Id message");
        assertEquals(0, replies(stack.messages(TANAKA), 0).size(), "no reply to Precedence: list");
    }

    @Test
    @Order(2)
    void anApprovedForwardDeliversThroughPostfix() throws Exception {
        String alias = "desk-" + UUID.randomUUID().toString().substring(0, 6) + "@" + DOMAIN;
        approve(Api.submit(requester, request(dept, "forward",
                item("CREATE", "FORWARD", Map.of("source", alias, "targets", List.of(TANAKA))))));
        int before = stack.messages(TANAKA).size();
        stack.send(SATO, alias, message(SATO, alias, "転送テスト " + alias, ""));
        List<String> got = stack.awaitMessages(TANAKA, before + 1, Duration.ofSeconds(20));
        assertTrue(got.size() > before && decodeWords(header(got.get(got.size() - 1), "Subject")).contains(alias), "forwarded to tanaka");
    }

    @Test
    @Order(3)
    void anApprovedListIsCreatedInMailmanWithItsMembersAndSettings() throws Exception {
        String list = "team-" + UUID.randomUUID().toString().substring(0, 6) + "@" + DOMAIN;
        approve(Api.submit(requester, request(dept, "list", item("CREATE", "MAILING_LIST", Map.of("address", list,
                "name", "Team", "members", List.of(SATO, TANAKA), "replyToList", false, "addsListHeaders", true)))));
        String listId = list.replace('@', '.');
        JsonPath members = JsonPath.from(mailman("/lists/" + listId + "/roster/member"));
        assertEquals(Set.of(SATO, TANAKA), new HashSet<>(members.getList("entries.email")));
        JsonPath config = JsonPath.from(mailman("/lists/" + listId + "/config"));
        assertEquals("no_munging", config.getString("reply_goes_to_list"));
        assertEquals("Team", config.getString("display_name"));
        // the list goes to Mailman, not to Postfix as an alias
        Api.admin().get("/api/v1/mail-servers/{id}/drift", serverId("postfix")).then().body("total", equalTo(0));
    }

    @Test
    @Order(4)
    void theStoryReplayedMailgovsAutoreplyAddsNothingToAListLoopAndAnEveryMessageAutoreplyIsRefused() throws Exception {
        // The external list of the story: Reply-To points at the list; takahashi (with mailgov's
        // autoreply from test 1) and suzuki are members.
        String loopList = "market-news@" + stack.env("LIST_DOMAIN");
        MailServerTarget mm = new MailServerTarget("outside", ServerKind.MAILMAN, stack.env("MAILMAN_REST_URL"),
                stack.env("MAILMAN_REST_USER"), stack.env("MAILMAN_REST_PASS"), Map.of());
        try (MailmanConnector outside = new MailmanConnector(mm)) {
            Map<ArtifactKey, String> setup = new LinkedHashMap<>();
            setup.put(ArtifactKey.list(loopList), MailmanConnector.listContent("Market news", true, true));
            setup.put(ArtifactKey.listMember(loopList, TAKAHASHI), "");
            setup.put(ArtifactKey.listMember(loopList, SUZUKI), "");
            outside.apply(new java.util.TreeMap<>(setup));
        }
        stack.reload();

        // The request the salesman's colleague would file: an autoreply on every message. Refused.
        String risky = Api.submit(requester, request(dept, "every-message autoreply",
                item("CREATE", "EXTERNAL_SUBSCRIPTION", Map.of("mailbox", SUZUKI, "listAddress", loopList, "replyToList", true)),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", SUZUKI, "subject", "Out", "body", "I am out",
                        "intervalDays", 0, "audience", "ALL"))));
        as(approver).get("/api/v1/change-requests/{id}", risky).then().body("highestSeverity", equalTo("BLOCK"));
        Api.approve(approver, risky).statusCode(422).body("type", equalTo("urn:mailgov:problem:policy-blocked"));

        // A naive program autoresponder on suzuki (what mailgov refused), bounded: at most 6 replies, 60 s.
        Path dovecotLog = Path.of(stack.env("LOG_DIR"), "dovecot.log");
        long vacationsBefore = vacationsSentBy(dovecotLog, TAKAHASHI);
        assertEquals(1, vacationsBefore, "the log shows the one reply of the first test (so counting works)");
        int takahashiBefore = stack.messages(TAKAHASHI).size();
        stack.send(SUZUKI, loopList, message(SUZUKI, loopList, "Hello list", ""));
        Set<String> answered = new HashSet<>();
        int naiveReplies = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (naiveReplies < 6 && System.currentTimeMillis() < deadline) {
            for (String m : stack.messages(SUZUKI)) {
                String msgId = header(m, "Message-ID");
                if (header(m, "List-Id").contains("market-news") && answered.add(msgId) && naiveReplies < 6) {
                    stack.send(SUZUKI, loopList, message(SUZUKI, loopList, "Re: auto reply " + naiveReplies, ""));
                    naiveReplies++;
                }
            }
            Thread.sleep(200);
        }
        stack.awaitMessages(TAKAHASHI, takahashiBefore + naiveReplies + 1, Duration.ofSeconds(20));
        int listPostsToTakahashi = stack.messages(TAKAHASHI).size() - takahashiBefore;
        assertEquals(6, naiveReplies, "the naive autoresponder kept the loop going");
        assertTrue(listPostsToTakahashi >= 6, "takahashi got the loop's posts: " + listPostsToTakahashi);
        assertEquals(vacationsBefore, vacationsSentBy(dovecotLog, TAKAHASHI), "mailgov's autoreply on takahashi sent nothing into the loop");
    }

    @Test
    @Order(5)
    void aPushWhileDovecotIsDownIsRetriedAndAppliedWhenItIsBack() throws Exception {
        stack.stopDovecot();
        String id;
        try {
            id = Api.submit(requester, request(dept, "autoreply sato", item("CREATE", "AUTOREPLY", Map.of("mailbox", SATO,
                    "subject", "Away", "body", "佐藤は出張中です。", "intervalDays", 3, "audience", "INTERNAL"))));
            Api.approve(approver, id).statusCode(200).body("status", equalTo("APPLYING"));
            long deadline = System.currentTimeMillis() + 30_000;
            int attempts = 0;
            while (attempts < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(300);
                attempts = as(approver).get("/api/v1/change-requests/{id}", id).then().extract()
                        .path("pushes.find { it.server == 'dovecot' }.attempts");
            }
            as(approver).get("/api/v1/change-requests/{id}", id).then()
                    .body("status", equalTo("APPLYING"))
                    .body("pushes.find { it.server == 'dovecot' }.status", equalTo("PENDING"))
                    .body("pushes.find { it.server == 'dovecot' }.attempts", greaterThanOrEqualTo(2))
                    .body("pushes.find { it.server == 'dovecot' }.lastError", containsString("127.0.0.1"));
        } finally {
            stack.startDovecot();
        }
        Api.awaitStatus(approver, id, "APPLIED");
        assertTrue(script(SATO).contains("佐藤は出張中です。"));
    }

    @Test
    @Order(6)
    void aScriptChangedByHandIsDriftAndReconcileRestoresIt() throws Exception {
        String approved = script(TAKAHASHI);
        SieveByHand.put("127.0.0.1", stack.port("MANAGESIEVE_PORT"), TAKAHASHI, stack.env("SIEVE_MASTER_USER"),
                stack.env("SIEVE_MASTER_PASSWORD"), "mailgov-vacation", "require \"vacation\";\r\nvacation :days 1 \"changed by hand\";\r\n");
        Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then().statusCode(200)
                .body("total", equalTo(1))
                .body("differences[0].key", equalTo(TAKAHASHI))
                .body("differences[0].problem", equalTo("DIFFERENT"))
                .body("differences[0].actual", containsString("changed by hand"));
        Api.admin().post("/api/v1/mail-servers/{id}/reconcile", dovecot).then().statusCode(202);
        long deadline = System.currentTimeMillis() + 30_000;
        String status = "PENDING";
        while ("PENDING".equals(status) && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            status = Api.admin().get("/api/v1/mail-servers/{id}/push-jobs", dovecot).then().extract().path("[0].status");
        }
        assertEquals("APPLIED", status);
        assertEquals(approved, script(TAKAHASHI));
        Api.admin().get("/api/v1/mail-servers/{id}/drift", dovecot).then().body("total", equalTo(0));
        Api.admin().get("/api/v1/audit?object={id}", Integer.toString(dovecot)).then().body("entries.action", hasItem("drift.detected"));
    }

    @Test
    @Order(7)
    void removingAnAutoreplyTakesItOffDovecot() throws Exception {
        assertTrue(script(SATO).contains("佐藤は出張中です。"));
        approve(Api.submit(requester, request(dept, "back from the trip", item("DELETE", "AUTOREPLY", Map.of("mailbox", SATO)))));
        assertEquals(null, script(SATO), "mailgov-vacation deleted");
        int before = stack.messages(TANAKA).size();
        stack.send(TANAKA, SATO, message(TANAKA, SATO, "おかえりなさい", ""));
        stack.awaitMessages(SATO, stack.messages(SATO).size() + 1, Duration.ofSeconds(20));
        Thread.sleep(1000);
        assertEquals(0, replies(stack.messages(TANAKA), before).size(), "no autoreply any more");
    }

    /** What an employee gets: saved on their own page, a standard change, active on Dovecot seconds later. */
    @Test
    @Order(8)
    void anEmployeesOwnAbsenceIsActiveOnDovecotSecondsAfterSaving() throws Exception {
        String employee = Api.unique("tanaka").toLowerCase();
        Api.admin().body(Map.of("username", employee, "password", Api.PASSWORD, "roles", List.of("self"), "email", TANAKA))
                .post("/api/v1/users").then().statusCode(201);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(9)).truncatedTo(ChronoUnit.MINUTES);
        String text = "田中は12月5日まで不在です。";
        long saved = System.nanoTime();
        as(employee).body(Map.of("subject", "不在のお知らせ（田中）", "body", text, "startsAt", now.minusHours(1).toString(),
                        "endsAt", now.plusDays(3).toString(), "audience", "INTERNAL"))
                .put("/api/v1/me/autoreply").then().statusCode(200)
                .body("lastRequest.decidedBy", equalTo("system:standard-change"));
        String script = script(TANAKA);
        while ((script == null || !script.contains(text)) && System.nanoTime() - saved < Duration.ofSeconds(60).toNanos()) {
            Thread.sleep(50);
            script = script(TANAKA);
        }
        double seconds = (System.nanoTime() - saved) / 1e9;
        assertTrue(script != null && script.contains(text), "the employee's autoreply reached Dovecot within 60 s");
        System.out.printf("[self-service] save → script on Dovecot: %.2f s%n", seconds);

        int before = stack.messages(SUZUKI).size();
        stack.send(SUZUKI, TANAKA, message(SUZUKI, TANAKA, "打ち合わせの件", ""));
        assertEquals(1, replies(stack.awaitMessages(SUZUKI, before + 1, Duration.ofSeconds(20)), before).size(),
                "the saved absence answers at once");
        as(employee).get("/api/v1/me/autoreply").then().statusCode(200).body("active", equalTo(true));
    }

    // ------------------------------------------------------------------ helpers

    private static int serverId(String name) {
        return Api.admin().get("/api/v1/mail-servers").then().extract().path("find { it.name == '" + name + "' }.id");
    }

    private static void approve(String id) {
        Api.approve(approver, id).statusCode(200);
        Api.awaitStatus(approver, id, "APPLIED");
    }

    private static String script(String mailbox) throws Exception {
        return SieveByHand.get("127.0.0.1", stack.port("MANAGESIEVE_PORT"), mailbox, stack.env("SIEVE_MASTER_USER"),
                stack.env("SIEVE_MASTER_PASSWORD"), "mailgov-vacation");
    }

    private static String mailman(String path) throws Exception {
        return servers.mailmanGet(path);
    }

    private static String message(String from, String to, String subject, String extraHeaders) {
        String encoded = "=?UTF-8?B?" + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "?=";
        return "From: " + from + "\nTo: " + to + "\nSubject: " + encoded + "\nMessage-ID: <" + UUID.randomUUID() + "@test.corp.example>\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n" + extraHeaders
                + "\nこんにちは\n";
    }

    /** The vacation replies among a mailbox's messages after the first {@code skip}. */
    private static List<String> replies(List<String> messages, int skip) {
        return messages.subList(Math.min(skip, messages.size()), messages.size()).stream()
                .filter(m -> header(m, "Auto-Submitted").startsWith("auto-replied")).toList();
    }

    /** A header's unfolded value, "" if absent. */
    static String header(String message, String name) {
        String head = message.replace("\r\n", "\n").split("\n\n", 2)[0].replaceAll("\n[ \t]+", " ");
        for (String line : head.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String bodyOf(String message) {
        String[] parts = message.replace("\r\n", "\n").split("\n\n", 2);
        return parts.length < 2 ? "" : parts[1];
    }

    private static final Pattern WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");

    /** RFC 2047 encoded words decoded; whitespace between adjacent words dropped. */
    static String decodeWords(String value) {
        String joined = value.replaceAll("\\?=\\s+=\\?", "?==?");
        Matcher m = WORD.matcher(joined);
        StringBuilder out = new StringBuilder();
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.append(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                out.append(joined, last, m.start());
            }
            byte[] bytes = m.group(2).equalsIgnoreCase("B") ? Base64.getDecoder().decode(m.group(3)) : qDecode(m.group(3));
            pending.writeBytes(bytes);
            last = m.end();
        }
        out.append(pending.toString(StandardCharsets.UTF_8)).append(joined.substring(last));
        return out.toString();
    }

    private static byte[] qDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static long vacationsSentBy(Path dovecotLog, String mailbox) throws Exception {
        if (!Files.exists(dovecotLog)) {
            return 0;
        }
        return Files.readAllLines(dovecotLog, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("(" + mailbox + ")") && l.contains("sent vacation response")).count();
    }
}
