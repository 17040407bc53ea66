package com.mailgov.guard;

import com.mailgov.testsupport.MilterClient;
import com.mailgov.testsupport.PostgresTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    private final List<Process> apps = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : apps) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        db.stop();
    }

    @Test
    void aCycleWhoseLegsReachDifferentReplicasIsFoundAndHeldOnBoth() throws Exception {
        Map<String, String> props = db.start();
        Path data = Files.createTempDirectory("mailgov-replicas");
        int http1 = freePort();
        int http2 = freePort();
        int guard1 = freePort();
        int guard2 = freePort();
        apps.add(start(props, data.resolve("a"), http1, guard1, "replica-a"));
        apps.add(start(props, data.resolve("b"), http2, guard2, "replica-b"));

        String list = "test-ml@partner.example";
        String mailbox = "takahashi@corp.example";
        Map<String, String> listHeaders = Map.of("List-Id", "<test-ml.partner.example>", "Reply-To", list);
        Map<String, String> replyHeaders = Map.of("Auto-Submitted", "auto-notified; owner-email=\"" + mailbox + "\"");
        try (MilterClient a = new MilterClient(guard1); MilterClient b = new MilterClient(guard2)) {
            long start = System.nanoTime();
            Long incident = null;
            for (int i = 0; i < 60 && incident == null; i++) {
                assertEquals('c', a.message("A" + i, "test-ml-bounces+takahashi=corp.example@partner.example", mailbox, listHeaders));
                assertEquals('c', b.message("B" + i, "postmaster@corp.example", list, replyHeaders));
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
            int held = RestAssured.given().port(http1).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                    .get("/api/v1/loop-incidents/" + incident).then().statusCode(200).extract().path("messages.held");
            assertTrue(held >= 2, "held messages accounted on both replicas: " + held);
        }
    }

    private static Long openIncident(int port) {
        List<Integer> ids = RestAssured.given().port(port).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .contentType(ContentType.JSON).get("/api/v1/loop-incidents?status=OPEN").then().statusCode(200).extract().path("id");
        return ids.isEmpty() ? null : ids.get(0).longValue();
    }

    private static Process start(Map<String, String> props, Path data, int port, int guardPort, String node) throws Exception {
        Files.createDirectories(data);
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString());
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", props.get("quarkus.datasource.jdbc.url"));
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", props.get("quarkus.datasource.username"));
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", props.get("quarkus.datasource.password"));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("MAILGOV_DATA_DIR", data.toString());
        pb.environment().put("MAILGOV_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false");
        pb.environment().put("MAILGOV_GUARD_ENABLED", "true");
        pb.environment().put("MAILGOV_GUARD_PORT", Integer.toString(guardPort));
        pb.environment().put("MAILGOV_GUARD_NODE_NAME", node);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("service.log").toFile()));
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("service exited: " + Files.readString(data.resolve("service.log")));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("service not ready within 180 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
