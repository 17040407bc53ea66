package com.mailgov.guard;

import com.mailgov.testsupport.Await;
import com.mailgov.testsupport.MilterClient;
import com.mailgov.testsupport.PackagedService;
import com.mailgov.testsupport.PostgresTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas (the packaged service, started twice against one database), each reached by a
 * different Postfix: one sees only the list's copies to takahashi, the other only takahashi's
 * automatic replies. Neither alone has a cycle; together they do, and after detection both hold
 * the cycle's messages, while other mail passes on both.
 */
class LoopGuardReplicasIT {

    private static final String ADMIN_PASSWORD = "replica-test-admin-pw-1";

    private final PostgresTestResource db = new PostgresTestResource();
    private final List<PackagedService> apps = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (PackagedService s : apps) {
            s.close();
        }
        db.stop();
    }

    @Test
    void aCycleWhoseLegsReachDifferentReplicasIsFoundAndHeldOnBoth() throws Exception {
        Map<String, String> props = db.start();
        Path data = Files.createTempDirectory("mailgov-replicas");
        int guard1 = PackagedService.freePort();
        int guard2 = PackagedService.freePort();
        apps.add(start(props, data.resolve("a"), guard1, "replica-a"));
        apps.add(start(props, data.resolve("b"), guard2, "replica-b"));
        for (PackagedService s : apps) {
            s.awaitReady(Duration.ofSeconds(240));
        }
        int http1 = apps.get(0).port();
        int http2 = apps.get(1).port();

        String list = "test-ml@partner.example";
        String mailbox = "takahashi@corp.example";
        Map<String, String> listHeaders = Map.of("List-Id", "<test-ml.partner.example>", "Reply-To", list);
        Map<String, String> replyHeaders = Map.of("Auto-Submitted", "auto-notified; owner-email=\"" + mailbox + "\"");
        try (MilterClient a = new MilterClient(guard1); MilterClient b = new MilterClient(guard2)) {
            long start = System.nanoTime();
            Long incident = null;
            for (int i = 0; i < 60 && incident == null; i++) {
                // accepted until the incident exists; a replica may hold before this loop has seen it (a slow HTTP poll)
                char ra = a.message("A" + i, "test-ml-bounces+takahashi=corp.example@partner.example", mailbox, listHeaders);
                char rb = b.message("B" + i, "postmaster@corp.example", list, replyHeaders);
                assertTrue(ra == 'c' || ra == 'q', "replica a answered " + ra);
                assertTrue(rb == 'c' || rb == 'q', "replica b answered " + rb);
                Thread.sleep(250);
                incident = openIncident(http2);
            }
            assertTrue(incident != null, "no incident");
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("[loop-guard] two replicas: cycle found in %.1f s%n", seconds);
            // both replicas hold the cycle's edges once they have read the incident (next beat)
            char onA = 'c';
            char onB = 'c';
            for (int i = 0; i < 40 && (onA != 'q' || onB != 'q'); i++) {
                Thread.sleep(250);
                onA = a.message("AH" + i, "test-ml-bounces+takahashi=corp.example@partner.example", mailbox, listHeaders);
                onB = b.message("BH" + i, "postmaster@corp.example", list, replyHeaders);
            }
            assertEquals('q', onA, "replica a holds the list's copies");
            assertEquals('q', onB, "replica b holds the replies");
            // anything else passes on both
            assertEquals('c', a.message("AX", "suzuki@corp.example", "tanaka@corp.example", Map.of()));
            assertEquals('c', b.message("BX", "test-ml-bounces+sato=corp.example@partner.example", "sato@corp.example", listHeaders));
            // each replica records what it held with its next beat
            long id = incident;
            Await.until(() -> heldOn(http1, id) >= 2, Duration.ofSeconds(20),
                    () -> "held messages accounted on both replicas: " + heldOn(http1, id));
        }
    }

    private static int heldOn(int port, long incident) {
        return RestAssured.given().port(port).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .get("/api/v1/loop-incidents/" + incident).then().statusCode(200).extract().path("messages.held");
    }

    private static Long openIncident(int port) {
        List<Integer> ids = RestAssured.given().port(port).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .contentType(ContentType.JSON).get("/api/v1/loop-incidents?status=OPEN").then().statusCode(200).extract().path("id");
        return ids.isEmpty() ? null : ids.get(0).longValue();
    }

    private static PackagedService start(Map<String, String> props, Path data, int guardPort, String node) throws IOException {
        Map<String, String> env = PackagedService.guardEnv(props, ADMIN_PASSWORD, guardPort);
        env.put("MAILGOV_GUARD_NODE_NAME", node);
        return PackagedService.launch(data, env);
    }
}
