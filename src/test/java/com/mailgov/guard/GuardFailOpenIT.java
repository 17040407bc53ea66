package com.mailgov.guard;

import com.mailgov.push.connector.SieveByHand;
import com.mailgov.testsupport.Await;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.PackagedService;
import com.mailgov.testsupport.PostgresTestResource;
import com.mailgov.testsupport.TestListServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail open for real: the packaged service is Postfix's milter (the documented fail-open settings
 * of src/test/mailstack), steady mail runs through it, and it is killed with {@code kill -9}.
 * Mail keeps flowing (every message sent after the kill is delivered, none lost). While it is down a
 * loop starts through mailgov's own autoreply; started again on the same database, the guard finds
 * the loop and the policy ({@code autoStopPerMinute}) stops it at once with an emergency change
 * pushed to Dovecot.
 */
class GuardFailOpenIT {

    private static final String ADMIN_PASSWORD = "failopen-admin-pw-1";
    private static final String PASSWORD = "failopen-user-pw-1";
    private static final String SUZUKI = "suzuki@corp.example";
    private static final String TANAKA = "tanaka@corp.example";
    private static final String MAILBOX = "kimura@corp.example";
    private static final String NEWS = "news@partner.example";

    private final PostgresTestResource db = new PostgresTestResource();
    private PackagedService app;
    private MailStack stack;
    private TestListServer lists;
    private final AtomicBoolean sending = new AtomicBoolean(true);

    @AfterEach
    void stop() throws Exception {
        sending.set(false);
        try {
            if (app != null) {
                app.close();
            }
            if (lists != null) {
                lists.close();
            }
        } finally {
            if (stack != null) {
                stack.stop();
            }
            db.stop();
        }
    }

    @Test
    void mailFlowsWhileMailgovIsKilledAndTheGuardResumesOnRestart() throws Exception {
        Map<String, String> props = db.start();
        Path data = Files.createTempDirectory("mailgov-failopen");
        Path stackDir = Path.of("/tmp", "mailgov-failopen-" + UUID.randomUUID().toString().substring(0, 8));
        int guardPort = PackagedService.freePort();
        lists = TestListServer.unbound();
        stack = MailStack.startIn(stackDir, false, Map.of("MAILSTACK_MILTER", "inet:127.0.0.1:" + guardPort,
                "MAILSTACK_EXTERNAL", "partner.example=smtp:[127.0.0.1]:" + lists.port()));
        lists.postfixPort(stack.port("SMTP_PORT"));
        stack.addUsers(List.of(MAILBOX), true);
        Map<String, String> env = PackagedService.guardEnv(props, ADMIN_PASSWORD, guardPort);
        env.put("MAILGOV_GUARD_POSTSUPER_COMMAND", "postsuper,-c," + stackDir.resolve("postfix"));
        env.put("MAILGOV_SECRET_SIEVE", stack.env("SIEVE_MASTER_PASSWORD"));
        app = PackagedService.launch(data, env).awaitReady(Duration.ofSeconds(240));

        // mailgov manages kimura's autoreply on the Dovecot; policy stops a loop above 20 messages a minute itself
        as("admin").body(Map.of("code", "FO", "name", "営業")).post("/api/v1/departments").then().statusCode(201);
        as("admin").body(Map.of("username", "fo-req", "password", PASSWORD, "roles", List.of("requester"), "department", "FO"))
                .post("/api/v1/users").then().statusCode(201);
        as("admin").body(Map.of("username", "fo-appr", "password", PASSWORD, "roles", List.of("approver")))
                .post("/api/v1/users").then().statusCode(201);
        int server = as("admin").body(Map.of("name", "dovecot", "kind", "DOVECOT_MANAGESIEVE",
                        "endpoint", "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), "username", stack.env("SIEVE_MASTER_USER"),
                        "credentialRef", "env:MAILGOV_SECRET_SIEVE"))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        String planHash = as("admin").get("/api/v1/mail-servers/{id}/plan", server).then().statusCode(200).extract().path("planHash");
        as("admin").body(Map.of("planHash", planHash)).post("/api/v1/mail-servers/{id}/enforce", server).then().statusCode(200);
        String created = as("fo-req").body(Map.of("department", "FO", "title", "away", "reason", "trip", "items", List.of(
                Map.of("action", "CREATE", "kind", "MAILBOX", "spec", Map.of("address", MAILBOX)),
                Map.of("action", "CREATE", "kind", "AUTOREPLY", "spec", Map.of("mailbox", MAILBOX, "subject", "Away",
                        "body", "出張中です。", "intervalDays", 1, "audience", "ALL")))))
                .post("/api/v1/change-requests").then().statusCode(201).extract().path("id");
        as("fo-appr").body(Map.of("comment", "ok", "overrideReason", "replies to outside senders are wanted"))
                .post("/api/v1/change-requests/{id}/approve", created).then().statusCode(200);
        Await.until(() -> "APPLIED".equals(as("fo-appr").get("/api/v1/change-requests/{id}", created).then().extract().path("status")),
                Duration.ofSeconds(60), "the autoreply is on Dovecot");
        as("admin").body(Map.of("rules", Map.of("loop-guard", Map.of("parameters", Map.of("autoStopPerMinute", 20))),
                "departments", Map.of(), "customRules", List.of())).put("/api/v1/policies").then().statusCode(200);

        // steady mail through the guard: suzuki → tanaka every 200 ms, each with its own Message-ID
        Map<String, Long> sent = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        Thread traffic = new Thread(() -> {
            for (int i = 0; i < 1500 && sending.get(); i++) {
                String mid = "<steady-" + i + "-" + UUID.randomUUID() + "@corp.example>";
                try {
                    long at = System.nanoTime();
                    stack.send(SUZUKI, TANAKA, "Subject: steady " + i + "\nMessage-ID: " + mid + "\n\nmessage " + i + "\n");
                    sent.put(mid, at);
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    refused.add(mid + ": " + e.getMessage());
                }
            }
        }, "steady-mail");
        traffic.start();
        Thread.sleep(3000);

        // ---------------------------------------------------------------- kill -9 by PID
        app.kill();
        long killed = System.nanoTime();
        Await.until(() -> sent.values().stream().anyMatch(t -> t > killed), Duration.ofSeconds(30), "a message sent after the kill");
        String firstAfter = sent.entrySet().stream().filter(e -> e.getValue() > killed).min(Map.Entry.comparingByValue())
                .orElseThrow().getKey();
        Await.until(() -> delivered(TANAKA).contains(firstAfter), Duration.ofSeconds(30), "mail delivered after the kill");
        double flowing = (System.nanoTime() - killed) / 1e9;

        // a loop starts while mailgov is down: kimura's autoreply and a naive exploder (a post every 0.7 s, capped)
        TestListServer.MailList exploder = lists.addExploder(NEWS, List.of(MAILBOX), 400);
        exploder.delay(700);
        lists.post(NEWS, "editor@partner.example", "Partner news", "Hello");
        Await.until(() -> exploder.distributed() >= 5, Duration.ofSeconds(60), "the loop runs unguarded");

        // ---------------------------------------------------------------- restart on the same database
        Instant restarted = Instant.now();
        app = PackagedService.launch(data, env).awaitReady(Duration.ofSeconds(240));
        Instant ready = Instant.now();
        Await.until(() -> !as("admin").get("/api/v1/loop-incidents").then().statusCode(200).extract().jsonPath().getList("").isEmpty(),
                Duration.ofSeconds(60), "the restarted guard finds the loop");
        int postsAtDetection = exploder.distributed();
        long id = as("admin").get("/api/v1/loop-incidents").then().extract().jsonPath().getLong("[0].id");
        // the guard listens before the HTTP side is ready, so it may find the loop before "ready"
        Instant opened = Instant.parse(incident(id).getString("openedAt"));
        Await.until(() -> "STOPPED".equals(incident(id).getString("status")) || "CLOSED".equals(incident(id).getString("status")),
                Duration.ofSeconds(60), "the policy stops the loop");
        JsonPath incident = incident(id);
        assertEquals(Set.of(NEWS, MAILBOX), Set.copyOf(incident.getList("cycle", String.class)));
        assertEquals("system", incident.getString("stoppedBy"), "stopped by the policy, nobody waited for");
        String change = incident.getString("stopAction.changeRequest");
        assertNotNull(change, incident.prettify());
        as("fo-appr").get("/api/v1/change-requests/{id}", change).then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("EMERGENCY"))
                .body("decidedBy", org.hamcrest.Matchers.equalTo("system"))
                .body("status", org.hamcrest.Matchers.equalTo("APPLIED"));
        assertEquals(null, SieveByHand.active("127.0.0.1", stack.port("MANAGESIEVE_PORT"), MAILBOX, stack.env("SIEVE_MASTER_USER"),
                stack.env("SIEVE_MASTER_PASSWORD")), "the autoreply is off Dovecot");
        exploder.awaitQuiet(Duration.ofSeconds(4), Duration.ofSeconds(60));
        int postsTotal = exploder.distributed();

        // nothing lost: every steady message, before, during and after the outage, is in tanaka's mailbox
        sending.set(false);
        traffic.join(30_000);
        assertEquals(List.of(), List.copyOf(refused), "Postfix refused nothing");
        Await.until(() -> delivered(TANAKA).containsAll(sent.keySet()), Duration.ofSeconds(90), "all steady mail delivered");
        Await.until(() -> incident(id).getInt("messages.waiting") == 0, Duration.ofSeconds(30), "held messages released");
        System.out.printf("[loop-guard] kill -9: mail flowing again %.1f s after the kill (%d steady messages, 0 lost); restart: "
                        + "ready after %.1f s, loop found %.1f s after the start (%+.1f s from ready); %d exploder posts by then, %d in all,"
                        + " %d held; stopped by policy with an emergency change%n",
                flowing, sent.size(), seconds(restarted, ready), seconds(restarted, opened), seconds(ready, opened), postsAtDetection,
                postsTotal, incident(id).getInt("messages.held"));
        assertTrue(flowing <= 20, "mail flowing " + flowing + " s after the kill");
    }

    // ------------------------------------------------------------------ helpers

    private RequestSpecification as(String user) {
        return RestAssured.given().baseUri("http://127.0.0.1").port(app.port()).auth().preemptive()
                .basic(user, "admin".equals(user) ? ADMIN_PASSWORD : PASSWORD).contentType(ContentType.JSON);
    }

    private JsonPath incident(long id) {
        return as("admin").get("/api/v1/loop-incidents/" + id).then().statusCode(200).extract().jsonPath();
    }

    private Set<String> delivered(String user) throws IOException {
        return stack.messages(user).stream().map(m -> {
            int i = m.toLowerCase().indexOf("\nmessage-id:");
            if (i < 0) {
                return "";
            }
            int end = m.indexOf('\n', i + 1);
            return m.substring(i + "\nmessage-id:".length(), end < 0 ? m.length() : end).strip();
        }).collect(Collectors.toSet());
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
