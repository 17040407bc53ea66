package com.mailgov.webhook;

import com.mailgov.testsupport.Api;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhooks to a real HTTP receiver on 127.0.0.1 that checks every signature. */
@QuarkusTest
class WebhookDeliveryTest {

    record Received(String id, String timestamp, String signature, String body, boolean valid, String host) {
    }

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    HttpServer receiver;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger failuresToSend = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean valid = id != null && ts != null && WebhookSigner.sign(SECRET, id, Long.parseLong(ts), body).equals(sig);
            int status = failuresToSend.getAndDecrement() > 0 ? 503 : 204;
            received.add(new Received(id, ts, sig, body, valid && status == 204, exchange.getRequestHeaders().getFirst("Host")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(30, TimeUnit.SECONDS);
        assertNotNull(r, "no webhook arrived within 30 s");
        return r;
    }

    @Test
    void signedEventsArriveForSubmitApproveAndAFailedAttemptIsRetried() throws Exception {
        long id = Api.admin().body(Map.of("url", url(), "secret", SECRET,
                        "events", List.of("change.submitted", "change.approved"), "description", "Jira OPS"))
                .post("/api/v1/webhooks").then().statusCode(201)
                .body("secret", nullValue())
                .body("secretHint", equalTo("whsec_…LaSw"))
                .extract().jsonPath().getLong("id");
        String dept = Api.department("HOOK", "連携");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");

        failuresToSend.set(1); // the first delivery answers 503 and must come again
        String cr = Api.submit(requester, request(dept, "Webhook test",
                item("CREATE", "MAILBOX", Map.of("address", Api.unique("hook") + "@corp.example", "displayName", "連携テスト"))));
        Received failed = next();
        Received retried = next();
        assertEquals(failed.id(), retried.id(), "a retry keeps its webhook-id");
        assertTrue(retried.valid(), "signature must verify");
        assertTrue(retried.body().contains("\"type\":\"change.submitted\""));
        assertTrue(retried.body().contains(cr));

        Api.approve(approver, cr).statusCode(200);
        Received approved = next();
        assertTrue(approved.valid());
        assertTrue(approved.body().contains("\"type\":\"change.approved\"") && approved.body().contains("\"status\":\"APPLIED\""),
                approved.body());
        assertTrue(approved.body().contains("連携テスト") || approved.body().contains("Webhook test"));

        Api.admin().get("/api/v1/webhooks/{id}/deliveries", id).then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.eventType == 'change.submitted' }.status", equalTo("DELIVERED"))
                .body("find { it.eventType == 'change.submitted' }.attempts", equalTo(2))
                .body("find { it.eventType == 'change.submitted' }.lastStatus", equalTo(204))
                .body("find { it.eventType == 'change.submitted' }.latencyMs", greaterThanOrEqualTo(0));

        long delivery = Api.admin().get("/api/v1/webhooks/{id}/deliveries", id).then().extract().jsonPath()
                .getLong("find { it.eventType == 'change.approved' }.id");
        Api.admin().post("/api/v1/webhooks/{id}/deliveries/{d}/redeliver", id, delivery).then().statusCode(200)
                .body("status", equalTo("PENDING"));
        Received again = next();
        assertEquals(approved.id(), again.id());
        assertTrue(again.valid());

        Api.admin().delete("/api/v1/webhooks/{id}", id).then().statusCode(204);
        Api.admin().get("/api/v1/audit?object={id}&limit=10", String.valueOf(id)).then()
                .body("entries.action", org.hamcrest.Matchers.hasItems("webhook.created", "webhook.deleted"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("MfKQ9r8")));
    }

    /**
     * Issue 12 (low), DNS rebinding: the delivery connects to the address the name was resolved to
     * for the check, and keeps the name for the Host header. The name exists only in the resolver
     * given to the service here (no real DNS); that it arrives at all shows no second lookup was made.
     */
    @Test
    void aDeliveryConnectsToTheAddressItsNameWasResolvedToAndKeepsTheName() throws Exception {
        String name = "hooks.rebind.test";
        QuarkusMock.installMockForType(new WebhookNames() {
            @Override
            public InetAddress[] resolve(String host) throws java.net.UnknownHostException {
                return name.equals(host) ? new InetAddress[]{InetAddress.getLoopbackAddress()} : super.resolve(host);
            }
        }, WebhookNames.class);
        int port = receiver.getAddress().getPort();
        long id = Api.admin().body(Map.of("url", "http://" + name + ":" + port + "/hook", "secret", SECRET,
                "events", List.of("change.submitted"))).post("/api/v1/webhooks").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        try {
            String dept = Api.department("DNS", "名前");
            String cr = Api.submit(Api.user("req", dept, "requester"), request(dept, "pinned",
                    item("CREATE", "MAILBOX", Map.of("address", Api.unique("dns") + "@corp.example"))));
            Received r = next();
            assertTrue(r.valid() && r.body().contains(cr), r.body());
            assertEquals(name + ":" + port, r.host(), "the Host header keeps the URL's name");
        } finally {
            Api.admin().delete("/api/v1/webhooks/{id}", id).then().statusCode(204);
        }
    }

    @Test
    void badRegistrationsAreRefused() {
        Api.admin().body(Map.of("url", url(), "secret", "not-a-secret", "events", List.of("change.submitted")))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("secret"));
        Api.admin().body(Map.of("url", url(), "events", List.of("change.exploded")))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("events[0]"));
        Api.admin().body(Map.of("url", "file:///etc/passwd", "events", List.of("change.submitted")))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("url"));
        Api.admin().body(Map.of("url", url(), "events", List.of()))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("events"));
        // Without a secret, one is generated and shown exactly once.
        long id = Api.admin().body(Map.of("url", url(), "events", List.of("change.rejected")))
                .post("/api/v1/webhooks").then().statusCode(201)
                .body("secret", org.hamcrest.Matchers.startsWith("whsec_"))
                .extract().jsonPath().getLong("id");
        Api.admin().get("/api/v1/webhooks/{id}", id).then().body("secret", nullValue());
        String requester = Api.user("nope", Api.department("NOHOOK", "x"), "requester");
        Api.as(requester).get("/api/v1/webhooks").then().statusCode(403);
        Api.admin().delete("/api/v1/webhooks/{id}", id).then().statusCode(204);
    }


    /**
     * Issue 12 #10: an endpoint that accepts connections and never answers delays only its own
     * deliveries; once disabled it is not called any more, even for a delivery queued again.
     */
    @Test
    void aDeadEndpointDoesNotHoldUpTheOthersAndADisabledOneIsNotCalled() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!blackHole.isClosed()) {
                    try {
                        held.add(blackHole.accept()); // never answered
                        accepted.incrementAndGet();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long dead = Api.admin().body(Map.of("url", "http://127.0.0.1:" + blackHole.getLocalPort() + "/hook", "secret", SECRET,
                    "events", List.of("change.submitted"))).post("/api/v1/webhooks").then().statusCode(201)
                    .extract().jsonPath().getLong("id");
            long alive = Api.admin().body(Map.of("url", url(), "secret", SECRET, "events", List.of("change.submitted")))
                    .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath().getLong("id");
            try {
                String dept = Api.department("DEAD", "不通");
                String requester = Api.user("req", dept, "requester");
                for (int i = 0; i < 3; i++) {
                    Api.submit(requester, request(dept, "dead " + i,
                            item("CREATE", "MAILBOX", Map.of("address", Api.unique("dead") + "@corp.example"))));
                }
                long submitted = System.nanoTime();
                for (int i = 0; i < 3; i++) {
                    assertTrue(next().valid());
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - submitted);
                // one after the other behind the dead endpoint, they would need its three timeouts (3 × 3 s)
                assertTrue(seconds < 6, "the live endpoint got its deliveries after " + seconds + " s");

                Api.admin().body(Map.of("url", "http://127.0.0.1:" + blackHole.getLocalPort() + "/hook",
                        "events", List.of("change.submitted"), "enabled", false)).put("/api/v1/webhooks/{id}", dead)
                        .then().statusCode(200).body("enabled", equalTo(false));
                Thread.sleep(4_000); // what was in flight has timed out
                int before = accepted.get();
                long delivery = Api.admin().get("/api/v1/webhooks/{id}/deliveries", dead).then().statusCode(200)
                        .extract().jsonPath().getLong("[0].id");
                Api.admin().post("/api/v1/webhooks/{id}/deliveries/{d}/redeliver", dead, delivery).then().statusCode(200);
                Thread.sleep(4_000);
                assertEquals(before, accepted.get(), "a disabled endpoint was called");
                Api.admin().get("/api/v1/webhooks/{id}/deliveries", dead).then()
                        .body("find { it.id == " + delivery + " }.status", equalTo("PENDING"))
                        .body("find { it.id == " + delivery + " }.attempts", equalTo(0));
            } finally {
                Api.admin().delete("/api/v1/webhooks/{id}", dead);
                Api.admin().delete("/api/v1/webhooks/{id}", alive);
                for (java.net.Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
