package com.mailgov.selfservice;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.MailStack;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * From "save" to active on a real Dovecot (stack.sh, ManageSieve): employees set their own
 * autoreply, the policy approves it as a standard change, the push puts it on Dovecot, and a
 * message to the mailbox is answered. Prints the time from the PUT to the state "active" (the
 * Dovecot push done) for each of five employees. Its own profile, so its own database and servers.
 */
@QuarkusTest
@TestProfile(SelfServiceMailStackTest.Profile.class)
class SelfServiceMailStackTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailgov.push.drift-check-interval", "PT1H", "mailgov.push.default-file-server", "false");
        }
    }

    static final int EMPLOYEES = 5;

    static MailStack stack;
    static Path secrets;

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            for (Object id : Api.admin().get("/api/v1/mail-servers").then().extract().jsonPath().getList("id")) {
                Api.admin().delete("/api/v1/mail-servers/{id}", id);
            }
            stack.stop();
        }
    }

    @Test
    void aSelfServiceAutoreplyIsActiveOnDovecotSecondsAfterSaveAndAnswersMail() throws Exception {
        stack = MailStack.start(false);
        secrets = Files.createTempDirectory("mailgov-secrets");
        Path sievePass = secrets.resolve("sieve");
        Files.writeString(sievePass, stack.env("SIEVE_MASTER_PASSWORD"));
        Files.setPosixFilePermissions(sievePass, PosixFilePermissions.fromString("rw-------"));
        int dovecot = Api.admin().body(Map.of("name", "dovecot", "kind", "DOVECOT_MANAGESIEVE",
                        "endpoint", "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), "username", stack.env("SIEVE_MASTER_USER"),
                        "credentialRef", "file:" + sievePass))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        Api.enforce(dovecot);

        String dept = Api.department("SELF", "営業二部");
        String requester = Api.user("it", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        List<String> boxes = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < EMPLOYEES; i++) {
            String box = "self" + i + "." + dept.toLowerCase() + "@corp.example";
            boxes.add(box);
            items.add(item("CREATE", "MAILBOX", Map.of("address", box, "displayName", "社員" + i)));
        }
        stack.addUsers(boxes, true);
        String mailboxes = Api.submit(requester, Map.of("department", dept, "title", "mailboxes", "reason", "self-service", "items", items));
        Api.approve(approver, mailboxes).statusCode(200);
        Api.awaitStatus(approver, mailboxes, "APPLIED");

        List<Long> millis = new ArrayList<>();
        for (String box : boxes) {
            String employee = Api.unique("emp").toLowerCase();
            Api.admin().body(Map.of("username", employee, "password", Api.PASSWORD, "roles", List.of("self"), "email", box))
                    .post("/api/v1/users").then().statusCode(201);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(9));
            Map<String, Object> absence = Map.of("subject", "不在のお知らせ", "body", "出張中です。\nI am travelling.",
                    "startsAt", now.minusMinutes(5).toString(), "endsAt", now.plusDays(3).toString(), "audience", "ALL");

            long t0 = System.nanoTime();
            Api.as(employee).body(absence).put("/api/v1/me/autoreply").then().statusCode(200);
            long deadline = System.currentTimeMillis() + 60_000;
            boolean active = false;
            while (!active && System.currentTimeMillis() < deadline) {
                active = Api.as(employee).get("/api/v1/me/autoreply").then().statusCode(200).extract().path("active");
                if (!active) {
                    Thread.sleep(50);
                }
            }
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(active, box + " not active within 60 s");
            millis.add(elapsed);

            // Active on Dovecot means a message is answered.
            String sender = boxes.get((boxes.indexOf(box) + 1) % boxes.size());
            int before = stack.messages(sender).size();
            stack.send(sender, box, "From: " + sender + "\nTo: " + box + "\nSubject: =?UTF-8?B?"
                    + Base64.getEncoder().encodeToString("会議の件".getBytes(StandardCharsets.UTF_8)) + "?=\nMessage-ID: <"
                    + UUID.randomUUID() + "@test.corp.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nこんにちは\n");
            List<String> got = stack.awaitMessages(sender, before + 1, Duration.ofSeconds(20));
            long replies = got.subList(before, got.size()).stream().filter(m -> m.contains("Auto-Submitted: auto-replied")).count();
            assertEquals(1, replies, "one autoreply from " + box);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.println("SELF-SERVICE save->active on Dovecot (ms): " + millis + " median " + sorted.get(sorted.size() / 2));
        assertTrue(sorted.get(sorted.size() / 2) < 30_000, "median " + sorted.get(sorted.size() / 2) + " ms");
    }
}
