package com.mailgov.guard;

import com.mailgov.guard.protocol.GuardServer;
import com.mailgov.push.connector.SieveByHand;
import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.PacedTraffic;
import com.mailgov.testsupport.Await;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.Secrets;
import com.mailgov.testsupport.TestListServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The story, replayed on the real Postfix + Dovecot with no help from governance: takahashi set a
 * Sieve notify responder himself (answering Reply-To) and is a member of an outside list that
 * points Reply-To at itself. Without the guard the loop grows until the list's cap; with the guard
 * (Postfix calls it as a milter) it is found in seconds, only the cycle's messages are held, the
 * emergency stop suspends the responder and every held message is delivered. At the same time a
 * busy legitimate list and a direct correspondence flow untouched. A guard that is down lets mail
 * flow (fail open) and resumes when it is back.
 */
@QuarkusTest
@TestProfile(LoopGuardStoryTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopGuardStoryTest {

    static final Path STACK_DIR = Path.of("/tmp", "mailgov-guard-" + UUID.randomUUID().toString().substring(0, 8));

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailgov.guard.enabled", "true",
                    "mailgov.guard.port", "0",
                    "mailgov.guard.postsuper-command", "postsuper,-c," + STACK_DIR.resolve("postfix"),
                    "mailgov.push.drift-check-interval", "PT1H");
        }
    }

    static final String LIST = "test-ml@partner.example";
    static final String BUSY = "busy@partner2.example";
    static final String TAKAHASHI = "takahashi@corp.example";
    static final String SATO = "sato@corp.example";
    static final String SUZUKI = "suzuki@corp.example";
    static final String TANAKA = "tanaka@corp.example";
    static final String RESPONDER = """
            require ["enotify", "variables"];
            # takahashi's own "thank you" notice, answering whoever the message says to reply to
            if header :matches "Reply-To" "*" { set "rt" "${1}"; }
            if string :is "${rt}" "" { if header :matches "From" "*" { set "rt" "${1}"; } }
            notify :message "Thank you, I will answer soon" "mailto:${rt}";
            keep;
            """;

    private static MailStack stack;
    private static TestListServer lists;
    private static int dovecot;
    private static String approver;
    private static String reviewer;

    @Inject
    GuardServer guardServer;

    @AfterAll
    static void stop() throws Exception {
        if (lists != null) {
            lists.close();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    @Order(1)
    void theStoryLoopIsFoundHeldStoppedAndNothingIsLost() throws Exception {
        // ---------------------------------------------------------------- the stack, wired to the guard
        int guardPort = guardServer.port();
        assertTrue(guardPort > 0, "guard listening");
        lists = TestListServer.unbound();
        stack = MailStack.startIn(STACK_DIR, false, Map.of(
                "MAILSTACK_MILTER", "inet:127.0.0.1:" + guardPort,
                "MAILSTACK_EXTERNAL", "partner.example=smtp:[127.0.0.1]:" + lists.port()
                        + " partner2.example=smtp:[127.0.0.1]:" + lists.port()));
        lists.postfixPort(stack.port("SMTP_PORT"));
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            members.add(String.format("member%02d@corp.example", i));
        }
        stack.addUsers(members, true);
        TestListServer.MailList list = lists.addList(LIST, List.of(TAKAHASHI, SATO), true, true, 40);
        TestListServer.MailList busy = lists.addList(BUSY, members, false, false, 10_000);

        // mailgov knows the Dovecot server (master user), as an admin registered it
        // in the folder the credential allow-list permits (mailgov.push.credential-dirs)
        Path secret = Secrets.file("mailgov-sieve", stack.env("SIEVE_MASTER_PASSWORD"));
        dovecot = Api.admin().body(Map.of("name", "dovecot", "kind", "DOVECOT_MANAGESIEVE",
                        "endpoint", "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), "username", stack.env("SIEVE_MASTER_USER"),
                        "credentialRef", "file:" + secret))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        approver = Api.user("guard-appr", null, "approver");
        reviewer = Api.user("guard-rev", null, "approver");

        // takahashi's own responder, set over ManageSieve as takahashi: mailgov never saw it
        int sieve = stack.port("MANAGESIEVE_PORT");
        SieveByHand.putActiveAsUser("127.0.0.1", sieve, TAKAHASHI, stack.env("USER_PASSWORD"), "responder", RESPONDER);

        // ---------------------------------------------------------------- control: no guard, the loop grows
        guardServer.stop();
        long t0 = System.nanoTime();
        lists.post(LIST, "partner@partner.example", "Welcome to the partner list", "Hello all");
        awaitTrue(() -> list.distributed() >= 40, Duration.ofSeconds(60), "control loop reached the list's cap of 40 posts");
        double controlSeconds = (System.nanoTime() - t0) / 1e9;
        list.awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(30));
        System.out.printf("[loop-guard] control without guard: 40 list posts (cap) in %.1f s%n", controlSeconds);

        // ---------------------------------------------------------------- with the guard, plus legitimate traffic
        guardServer.start();
        assertEquals(guardPort, guardServer.port(), "the guard comes back on the same port");
        int sentToTakahashiBefore = sentTo(TAKAHASHI).size();
        int receivedBefore = lists.received().size();
        list.cap(1000);
        AtomicInteger busyPosts = new AtomicInteger();
        AtomicInteger direct = new AtomicInteger();
        // a member posts to the busy list: a post every 550 ms (109 a minute) to 50 members
        PacedTraffic traffic = PacedTraffic.start("legitimate-traffic", Duration.ofMillis(550), 200, i -> {
            stack.send("member01@corp.example", BUSY, "Subject: busy list post " + i + "\n\nnews " + i + "\n");
            busyPosts.incrementAndGet();
            if (i % 5 == 0) { // a direct correspondence, both ways
                stack.send(SUZUKI, TANAKA, "Subject: re: plan " + i + "\nMessage-ID: <d" + i + "a@corp.example>\n\nok\n");
                stack.send(TANAKA, SUZUKI, "Subject: re: plan " + i + "\nIn-Reply-To: <d" + i + "a@corp.example>\n\nthanks\n");
                direct.addAndGet(2);
            }
        });
        Thread.sleep(5000); // the busy list is hot before the loop starts

        Detected loop = startLoop(list, "partner@partner.example", "Quarterly update");
        double detectSeconds = loop.seconds();
        long id = loop.id();
        int onCycle = (sentTo(TAKAHASHI).size() - sentToTakahashiBefore) + (lists.received().size() - receivedBefore);
        System.out.printf("[loop-guard] detected in %.1f s; %d messages on the cycle before it was cut%n", detectSeconds, onCycle);
        assertTrue(detectSeconds <= 10, "detected in " + detectSeconds + " s");
        assertTrue(onCycle <= 100, onCycle + " messages on the cycle");

        // the incident names the list, the mailbox and its responder
        JsonPath detail = Api.as(approver).get("/api/v1/loop-incidents/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("OPEN", detail.getString("status"));
        assertTrue(detail.getList("correlated.lists").contains(LIST), detail.prettify());
        assertTrue(detail.getList("correlated.mailboxes").contains(TAKAHASHI), detail.prettify());
        assertEquals(TAKAHASHI, detail.getString("correlated.responders[0].mailbox"));
        assertTrue(detail.getString("correlated.responders[0].kind").contains("notify"), detail.prettify());
        assertTrue(detail.getInt("messages.held") > 0, "messages held: " + detail.prettify());
        Set<String> cycleNodes = Set.of(LIST, TAKAHASHI);
        assertEquals(cycleNodes, new HashSet<>(detail.getList("cycle", String.class)));
        // the incident's page draws the cycle as the findings' diagrams do
        String page = io.restassured.RestAssured.given().filter(Api.uiSession(approver, Api.PASSWORD)).get("/loops/" + id)
                .then().statusCode(200).extract().asString();
        for (String node : cycleNodes) {
            assertTrue(page.contains("class=\"node on-cycle\" data-address=\"" + node + "\""), "the diagram shows " + node);
        }

        // ---------------------------------------------------------------- the guard goes away: mail flows
        guardServer.stop();
        String mid = "<failopen-" + UUID.randomUUID() + "@corp.example>";
        stack.send(SUZUKI, TANAKA, "Subject: while the guard is down\nMessage-ID: " + mid + "\n\nstill flowing\n");
        awaitTrue(() -> stack.messages("tanaka").stream().anyMatch(m -> m.contains(mid)), Duration.ofSeconds(20),
                "mail delivered while the guard is down");
        // back: the open incident holds the cycle's edges again
        guardServer.start();
        int heldBefore = heldCount(approver, id);
        lists.post(LIST, "partner@partner.example", "After the restart", "again");
        awaitTrue(() -> heldCount(approver, id) > heldBefore, Duration.ofSeconds(20), "the guard holds again after its restart");

        // ---------------------------------------------------------------- emergency stop by one approver
        JsonPath stopped = Api.as(approver).post("/api/v1/loop-incidents/" + id + "/stop").then().statusCode(200).extract().jsonPath();
        assertEquals("STOPPED", stopped.getString("status"));
        assertEquals("responder", stopped.getString("stopAction.suspended[0].script"));
        assertTrue(stopped.getString("stopAction.suspended[0].text").contains("notify"), "the responder's text is kept");
        assertNotNull(stopped.getString("reviewDueAt"));
        assertEquals(null, SieveByHand.active("127.0.0.1", sieve, TAKAHASHI, stack.env("SIEVE_MASTER_USER"),
                stack.env("SIEVE_MASTER_PASSWORD")), "takahashi's responder is no longer active");
        Api.as(approver).post("/api/v1/loop-incidents/" + id + "/stop").then().statusCode(409);

        // held messages are released and delivered; the queue empties; the incident closes
        awaitTrue(() -> waiting(approver, id) == 0, Duration.ofSeconds(30), "every held message released");
        // the legitimate traffic runs on through the loop, the stop and the release for a full minute
        // however fast the loop was cut (the rate is checked below), then it ends so the queue can empty
        awaitTrue(() -> busyPosts.get() >= 112, Duration.ofSeconds(120), "112 busy-list posts sent");
        traffic.close();
        awaitTrue(() -> queueEmpty(), Duration.ofSeconds(90), "Postfix queue empty");
        awaitTrue(() -> "CLOSED".equals(Api.as(approver).get("/api/v1/loop-incidents/" + id).then().extract().path("status")),
                Duration.ofSeconds(60), "incident closed once the cycle cooled");

        // every message id accounted for: each copy the list sent takahashi is in his mailbox ...
        Set<String> inbox = messageIds(stack.messages("takahashi"));
        Set<String> missing = sentTo(TAKAHASHI).stream().map(TestListServer.Sent::messageId).filter(m -> !inbox.contains(m))
                .collect(Collectors.toSet());
        assertEquals(Set.of(), missing, "list copies to takahashi that never arrived");
        // ... and each held reply reached the list
        JsonPath closed = Api.as(approver).get("/api/v1/loop-incidents/" + id).then().statusCode(200).extract().jsonPath();
        Set<String> atList = lists.received().stream().map(TestListServer.Post::messageId).filter(m -> m != null)
                .collect(Collectors.toSet());
        List<Map<String, Object>> held = closed.getList("heldMessages");
        int replies = 0;
        for (Map<String, Object> h : held) {
            assertNotNull(h.get("queueId"), "held message has a queue id: " + h);
            assertNotNull(h.get("releasedAt"), "held message released: " + h);
            assertTrue(cycleNodes.contains(h.get("from")) && cycleNodes.contains(h.get("to")), "only the cycle's edges are held: " + h);
            if (LIST.equals(h.get("to"))) {
                replies++;
                assertTrue(atList.contains(h.get("messageId")), "held reply reached the list: " + h);
            } else {
                assertTrue(inbox.contains(h.get("messageId")), "held list copy reached takahashi: " + h);
            }
        }
        System.out.printf("[loop-guard] %d messages held (%d replies), all released and delivered%n", held.size(), replies);

        // the legitimate traffic: nothing held or deferred, everything delivered
        for (String m : List.of("member01", "member25", "member50")) {
            int copies = (int) sentTo(m + "@corp.example").size();
            awaitTrue(() -> countSubjects(stack.messages(m), "busy list post") >= copies, Duration.ofSeconds(60),
                    m + " got all " + copies + " busy-list copies");
        }
        // >= 100 posts a minute to 50 members, measured where the list sent them: the most posts in any 60 s
        List<java.time.Instant> busyAt = sentTo("member01@corp.example").stream().filter(x -> x.list().equals(BUSY))
                .map(TestListServer.Sent::at).sorted().toList();
        int perMinute = 0;
        for (int a = 0, b = 0; b < busyAt.size(); b++) {
            while (Duration.between(busyAt.get(a), busyAt.get(b)).toMillis() >= 60_000) {
                a++;
            }
            perMinute = Math.max(perMinute, b - a + 1);
        }
        long copies = lists.sent().stream().filter(x -> x.list().equals(BUSY)).count();
        System.out.printf("[loop-guard] busy list: %d posts in its busiest minute, %d copies to %d members, none held%n",
                perMinute, copies, members.size());
        assertTrue(perMinute >= 100, "busy-list posts within one minute: " + perMinute);
        assertEquals(busyAt.size() * 50L, copies, "each busy-list post went to all 50 members");
        awaitTrue(() -> countSubjects(stack.messages("tanaka"), "re: plan") + countSubjects(stack.messages("suzuki"), "re: plan")
                >= direct.get(), Duration.ofSeconds(30), "direct correspondence delivered");
        List<Map<String, Object>> all = Api.as(approver).get("/api/v1/loop-incidents").then().statusCode(200).extract().jsonPath()
                .getList("");
        assertEquals(1, all.size(), "one incident only (the busy list and the correspondence are no loop): " + all);

        // four eyes after the fact: not the one who stopped it, then the reviewer
        Api.as(approver).contentType("application/json").body(Map.of()).post("/api/v1/loop-incidents/" + id + "/review")
                .then().statusCode(403);
        Api.as(reviewer).contentType("application/json").body(Map.of("note", "responder stays off; subscription to be registered"))
                .post("/api/v1/loop-incidents/" + id + "/review").then().statusCode(200);
        Api.admin().queryParam("object", Long.toString(id)).get("/api/v1/audit").then().statusCode(200)
                .body("entries.action", org.hamcrest.Matchers.hasItems("loop.detected", "loop.emergency-stop", "loop.resolved", "loop.stop-reviewed"));
    }

    /**
     * mailgov's own approved autoreply on a member of a naive exploder (no list headers, a return
     * path per message, so a once-per-sender vacation answers every copy) loops. The stop is an
     * emergency change request that removes the autoreply from the directory and is pushed like any
     * change (the vacation leaves Dovecot); the text is kept for a restore; a second approver
     * reviews it afterwards.
     */
    @Test
    @Order(2)
    void mailgovsOwnAutoreplyOnALoopIsSwitchedOffByAnEmergencyChangeThroughThePushPath() throws Exception {
        assertNotNull(stack, "runs on the story's stack, after it");
        String mailbox = Api.unique("away").toLowerCase() + "@corp.example";
        String news = "news@partner.example";
        String text = "ただいま出張中です。I am travelling.";
        stack.addUsers(List.of(mailbox), true);
        Api.enforce(dovecot); // the registered Dovecot was only observed so far; now mailgov writes to it
        String dept = Api.department("GRD", "ループ監視");
        String requester = Api.user("guard-req", dept, "requester");
        String created = Api.submit(requester, Map.of("department", dept, "title", "away", "reason", "business trip", "items",
                List.of(Api.item("CREATE", "MAILBOX", Map.of("address", mailbox)), Api.item("CREATE", "AUTOREPLY", Map.of(
                        "mailbox", mailbox, "subject", "Away", "body", text, "intervalDays", 1, "audience", "ALL")))));
        Api.as(approver).body(Map.of("comment", "ok", "overrideReason", "replies to outside senders are wanted"))
                .post("/api/v1/change-requests/{id}/approve", created).then().statusCode(200);
        Api.awaitStatus(approver, created, "APPLIED");
        int sieve = stack.port("MANAGESIEVE_PORT");
        String master = stack.env("SIEVE_MASTER_USER");
        String masterPassword = stack.env("SIEVE_MASTER_PASSWORD");
        assertEquals("mailgov-vacation", SieveByHand.active("127.0.0.1", sieve, mailbox, master, masterPassword));

        TestListServer.MailList exploder = lists.addExploder(news, List.of(mailbox), 300);
        Detected loop = startLoop(exploder, "editor@partner.example", "Partner news");
        JsonPath incident = loop.incident();
        double detectSeconds = loop.seconds();
        long id = loop.id();
        int onCycle = sentTo(mailbox).size() + (int) lists.received().stream().filter(p -> p.list().equals(news)).count();
        System.out.printf("[loop-guard] mailgov autoreply loop: detected in %.1f s; %d messages on the cycle before it was cut%n",
                detectSeconds, onCycle);
        assertEquals(Set.of(news, mailbox), new HashSet<>(incident.getList("cycle", String.class)));
        assertEquals(mailbox, incident.getString("correlated.responders[0].mailbox"));
        assertEquals(true, incident.getBoolean("correlated.responders[0].managedByMailgov"), incident.prettify());

        // one approver stops it: an emergency change request, applied and pushed at once
        JsonPath stopped = Api.as(approver).post("/api/v1/loop-incidents/" + id + "/stop").then().statusCode(200).extract().jsonPath();
        assertEquals("STOPPED", stopped.getString("status"));
        String change = stopped.getString("stopAction.changeRequest");
        assertNotNull(change, stopped.prettify());
        assertEquals(text, stopped.getString("stopAction.autoreplies[0].restore.spec.body"), "the text is kept to restore it");
        assertEquals(List.of(), stopped.getList("stopAction.suspended"), "nothing switched off behind the push path's back");
        JsonPath cr = Api.as(approver).get("/api/v1/change-requests/{id}", change).then().statusCode(200).extract().jsonPath();
        assertEquals("EMERGENCY", cr.getString("type"));
        assertEquals("APPLIED", cr.getString("status"));
        assertEquals(approver, cr.getString("decidedBy"));
        assertNotNull(cr.getString("reviewDueAt"));
        assertEquals("DELETE", cr.getString("items[0].action"));
        assertEquals("APPLIED", cr.getString("pushes.find { it.server == 'dovecot' }.status"));
        Api.admin().queryParam("department", dept).queryParam("kind", "AUTOREPLY").get("/api/v1/directory").then().statusCode(200)
                .body("objects", org.hamcrest.Matchers.empty());
        assertEquals(null, SieveByHand.active("127.0.0.1", sieve, mailbox, master, masterPassword), "no active Sieve script");

        // held messages are released and delivered, none lost
        awaitTrue(() -> waiting(approver, id) == 0, Duration.ofSeconds(30), "every held message released");
        awaitTrue(() -> queueEmpty(), Duration.ofSeconds(60), "Postfix queue empty");
        exploder.awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(30));
        awaitTrue(() -> queueEmpty(), Duration.ofSeconds(60), "Postfix queue empty");
        Set<String> inbox = messageIds(stack.messages(mailbox));
        assertEquals(Set.of(), sentTo(mailbox).stream().map(TestListServer.Sent::messageId).filter(m -> !inbox.contains(m))
                .collect(Collectors.toSet()), "copies that never reached " + mailbox);
        JsonPath after = Api.as(approver).get("/api/v1/loop-incidents/" + id).then().statusCode(200).extract().jsonPath();
        Set<String> atList = lists.received().stream().map(TestListServer.Post::messageId).filter(m -> m != null)
                .collect(Collectors.toSet());
        List<Map<String, Object>> held = after.getList("heldMessages");
        assertTrue(!held.isEmpty(), "the cycle's messages were held");
        for (Map<String, Object> h : held) {
            assertNotNull(h.get("releasedAt"), "held message released: " + h);
            assertTrue((news.equals(h.get("to")) ? atList : inbox).contains(h.get("messageId")), "held message delivered: " + h);
        }
        System.out.printf("[loop-guard] mailgov autoreply loop: %d messages held, all delivered%n", held.size());

        // four eyes after the fact, on the incident and its change request alike
        Api.as(approver).contentType("application/json").body(Map.of()).post("/api/v1/loop-incidents/" + id + "/review")
                .then().statusCode(403).body("type", org.hamcrest.Matchers.endsWith("self-approval"));
        Api.as(reviewer).contentType("application/json").body(Map.of("note", "autoreply stays off until the partner fixes the list"))
                .post("/api/v1/loop-incidents/" + id + "/review").then().statusCode(200);
        Api.as(approver).get("/api/v1/change-requests/{id}", change).then().statusCode(200)
                .body("reviewedBy", org.hamcrest.Matchers.equalTo(reviewer));
        Api.admin().queryParam("object", change).get("/api/v1/audit").then().statusCode(200).body("entries.action",
                org.hamcrest.Matchers.hasItems("change.emergency-approved", "change.applied", "change.emergency-reviewed"));
        // restoring it is a normal request with the kept spec
        Map<String, Object> restore = stopped.getMap("stopAction.autoreplies[0].restore");
        String back = Api.submit(requester, Map.of("department", dept, "title", "restore", "reason", "list fixed", "items",
                List.of(restore)));
        Api.as(approver).get("/api/v1/change-requests/{id}", back).then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("NORMAL")).body("status", org.hamcrest.Matchers.equalTo("SUBMITTED"));
    }

    // ------------------------------------------------------------------ helpers

    /** A loop started by a post from outside: the incident the guard opened, after how long; returns once the list is quiet. */
    private record Detected(long id, JsonPath incident, double seconds) {
    }

    private static Detected startLoop(TestListServer.MailList list, String from, String subject) throws Exception {
        long start = System.nanoTime();
        lists.post(list.address(), from, subject, "Hello");
        JsonPath incident = awaitIncident(Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        list.awaitQuiet(Duration.ofSeconds(4), Duration.ofSeconds(30));
        return new Detected(incident.getLong("id"), incident, seconds);
    }

    private static JsonPath awaitIncident(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<Map<String, Object>> open = Api.admin().get("/api/v1/loop-incidents?status=OPEN").then().statusCode(200)
                    .extract().jsonPath().getList("");
            if (!open.isEmpty()) {
                return new JsonPath(Api.admin().get("/api/v1/loop-incidents/" + open.get(0).get("id")).then().extract().asString());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no loop incident within " + timeout + "; list posts distributed "
                + lists.sent().size() + ", replies received " + lists.received().size() + ", list server errors " + lists.errors());
    }

    private static int heldCount(String user, long id) {
        return Api.as(user).get("/api/v1/loop-incidents/" + id).then().extract().path("messages.held");
    }

    private static int waiting(String user, long id) {
        return Api.as(user).get("/api/v1/loop-incidents/" + id).then().extract().path("messages.waiting");
    }

    private static List<TestListServer.Sent> sentTo(String member) {
        return lists.sent().stream().filter(s -> s.member().equals(member)).toList();
    }

    private static String lastQueue = "";

    private static boolean queueEmpty() {
        try {
            Process p = new ProcessBuilder("postqueue", "-c", STACK_DIR.resolve("postfix").toString(), "-p")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            lastQueue = out;
            return out.contains("Mail queue is empty");
        } catch (Exception e) {
            return false;
        }
    }

    private static Set<String> messageIds(List<String> messages) {
        Pattern mid = Pattern.compile("(?im)^Message-ID:\\s*(<[^>]+>)");
        Set<String> out = new HashSet<>();
        for (String m : messages) {
            Matcher x = mid.matcher(m);
            if (x.find()) {
                out.add(x.group(1));
            }
        }
        return out;
    }

    private static int countSubjects(List<String> messages, String text) {
        return (int) messages.stream().filter(m -> m.contains(text)).count();
    }

    private static void awaitTrue(Await.Check check, Duration timeout, String what) throws Exception {
        Await.until(check, timeout, () -> what + (what.contains("queue") ? "\n" + lastQueue : ""));
    }
}
