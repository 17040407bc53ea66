package com.mailgov.audit;

import com.mailgov.testsupport.Api;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once the chain grows, a signed checkpoint of its head leaves the database by itself: as a log
 * line and as the webhook event audit.checkpoint (test profile: within about a second).
 */
@QuarkusTest
class AuditCheckpointPublishTest {

    @Test
    void aCheckpointOfTheGrownChainIsLoggedAndSentToWebhookReceivers() throws Exception {
        BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/anchor", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        List<String> logLines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().startsWith("audit checkpoint ")) {
                    logLines.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("com.mailgov.audit");
        logger.addHandler(capture);
        long endpoint = Api.admin().body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/anchor",
                        "events", List.of("audit.checkpoint"), "description", "監査アンカー"))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath().getLong("id");
        try {
            String code = Api.department("ANCHOR", "アンカー");
            long seq = Api.admin().get("/api/v1/audit?object={code}", code).then().statusCode(200)
                    .extract().jsonPath().getLong("entries[0].seq");

            JsonPath event = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (event == null && System.currentTimeMillis() < deadline) {
                String body = bodies.poll(1, TimeUnit.SECONDS);
                if (body != null && new JsonPath(body).getLong("data.seq") >= seq) {
                    event = new JsonPath(body);
                }
            }
            assertNotNull(event, "no audit.checkpoint covering entry " + seq + " arrived within 30 s");
            assertEquals("audit.checkpoint", event.getString("type"));
            Map<String, Object> checkpoint = event.getMap("data");

            // the head it names is the chain's entry at that position
            long at = ((Number) checkpoint.get("seq")).longValue();
            String hashAt = Api.admin().get("/api/v1/audit?beforeSeq={s}&limit=1", at + 1).then().extract().path("entries[0].hash");
            assertEquals(hashAt, checkpoint.get("headHash"));

            // its signature verifies with the published public key
            String pem = Api.admin().get("/api/v1/audit/checkpoints/public-key").then().statusCode(200).extract().path("pem");
            assertTrue(verifies(pem, (String) checkpoint.get("statement"), (String) checkpoint.get("signature")));

            // the same checkpoint is in the log, as one line with the signature
            String line = "audit checkpoint seq=" + at + " head=" + checkpoint.get("headHash") + " at=" + checkpoint.get("signedAt")
                    + " key=" + checkpoint.get("keyId") + " sig=" + checkpoint.get("signature");
            assertTrue(logLines.contains(line), "log lines: " + logLines);

            // and verify accepts it as evidence the chain still has
            Api.admin().body(Map.of("checkpoints", List.of(checkpoint))).post("/api/v1/audit/verify").then().statusCode(200)
                    .body("valid", equalTo(true)).body("checkpoints.given", equalTo(1));
        } finally {
            logger.removeHandler(capture);
            Api.admin().delete("/api/v1/webhooks/{id}", endpoint).then().statusCode(204);
            receiver.stop(0);
        }
    }

    private static boolean verifies(String pem, String statement, String signature) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(statement.getBytes(StandardCharsets.UTF_8));
        return s.verify(Base64.getDecoder().decode(signature));
    }
}
