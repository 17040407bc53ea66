package com.mailgov.web;

import com.mailgov.testsupport.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: a database that answers but cannot serve this request in time is "busy", not
 * "unavailable" — a 503 service-busy problem with Retry-After, nothing stored — and readiness
 * neither waits for a pooled connection nor says DOWN because the pool is exhausted.
 */
@QuarkusTest
@TestProfile(BusyDatabaseTest.ShortTimeouts.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the cold-start case first, in this profile's fresh start
class BusyDatabaseTest {

    private static final int TRANSACTION_TIMEOUT_SECONDS = 3;

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.transaction-manager.default-transaction-timeout", "PT" + TRANSACTION_TIMEOUT_SECONDS + "S",
                    "quarkus.datasource.jdbc.acquisition-timeout", "PT2S");
        }
    }

    @Inject
    AgroalDataSource pool;

    @Test
    @Order(1)
    void theFirstSubmissionsAfterAStartNeedNoSecondConnection() throws Exception {
        String dept = Api.department("COLD", "起動直後");
        String requester = Api.user("cold", dept, "requester");
        // all but one pooled connection busy (as under many clients): the first evaluation, which loads the stored
        // loop facts, must get by with the one its request holds
        List<Connection> held = hog(pool.getConfiguration().connectionPoolConfiguration().maxSize() - 1);
        try {
            Api.as(requester).body(Api.request(dept, "first after the start", Api.item("CREATE", "MAILBOX",
                    Map.of("address", Api.unique("cold") + "@corp.example")))).post("/api/v1/change-requests").then().statusCode(201);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void aTransactionRolledBackAtItsTimeoutIsA503ServiceBusyAndStoresNothing() throws Exception {
        String dept = Api.department("SLOW", "遅い");
        String requester = Api.user("slow", dept, "requester");
        long auditBefore = submittedRows(requester);
        CompletableFuture<Response> submission;
        try (Connection blocker = testDatabase(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // the submission's audit row waits for this lock until the transaction manager's time-out has passed
            s.execute("LOCK TABLE audit_entry IN EXCLUSIVE MODE");
            submission = CompletableFuture.supplyAsync(() -> Api.as(requester).header("Idempotency-Key", Api.unique("slow"))
                    .body(Api.request(dept, "outlives its transaction",
                            Api.item("CREATE", "MAILBOX", Map.of("address", Api.unique("slow") + "@corp.example"))))
                    .post("/api/v1/change-requests"));
            Thread.sleep(TimeUnit.SECONDS.toMillis(TRANSACTION_TIMEOUT_SECONDS + 3));
            blocker.commit();
        }
        Response r = submission.get(60, TimeUnit.SECONDS);
        r.then().statusCode(503).contentType(startsWith("application/problem+json")).header("Retry-After", "5")
                .body("type", equalTo("urn:mailgov:problem:service-busy")).body("status", equalTo(503));

        assertEquals(List.of(), Api.as(requester).queryParam("department", dept).get("/api/v1/change-requests")
                .then().statusCode(200).extract().jsonPath().getList("$"), "nothing of the rolled-back submission is stored");
        // counted by action and actor: the push worker may still be recording earlier tests' jobs meanwhile
        assertEquals(auditBefore, submittedRows(requester), "no audit row for it");
        Api.auditEntries(); // and the chain verifies
        Api.as(requester).body(Api.request(dept, "after the time-out", Api.item("CREATE", "MAILBOX",
                Map.of("address", Api.unique("slow") + "@corp.example")))).post("/api/v1/change-requests").then().statusCode(201);
    }

    @Test
    void anExhaustedPoolIsA503ServiceBusyWhileReadinessStaysUpAtOnce() throws Exception {
        String dept = Api.department("FULL", "満杯");
        String requester = Api.user("full", dept, "requester");
        int max = pool.getConfiguration().connectionPoolConfiguration().maxSize();
        List<Connection> held = hog(max);
        try {

            long start = System.nanoTime();
            RestAssured.get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2_000, "readiness does not queue for a pooled connection");

            Api.as(requester).queryParam("department", dept).get("/api/v1/change-requests").then().statusCode(503)
                    .contentType(startsWith("application/problem+json")).header("Retry-After", "5")
                    .body("type", equalTo("urn:mailgov:problem:service-busy"));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        Api.as(requester).queryParam("department", dept).get("/api/v1/change-requests").then().statusCode(200);
    }

    /** Takes {@code count} pooled connections, including ones a background job gives back meanwhile (60 s at most). */
    private List<Connection> hog(int count) throws SQLException {
        List<Connection> held = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (held.size() < count && System.nanoTime() < deadline) {
            try {
                held.add(pool.getConnection());
            } catch (SQLException timeout) {
                // all taken for now; try again
            }
        }
        if (held.size() < count) {
            for (Connection c : held) {
                c.close();
            }
            throw new AssertionError("the test could take only " + held.size() + " of " + count + " pooled connections");
        }
        return held;
    }

    private static Connection testDatabase() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    private long submittedRows(String actor) throws Exception {
        try (Connection c = testDatabase(); Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT count(*) FROM audit_entry WHERE action = 'change.submitted' AND actor = '"
                     + actor.replace("'", "''") + "'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
