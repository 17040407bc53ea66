package com.mailgov.change;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 #6: a reject or withdraw racing an approval never overwrites it. Exactly one decision
 * wins, the other gets 409, and the request's status, revision and audit agree with the winner.
 */
@QuarkusTest
class DecisionRaceTest {

    static final int ROUNDS = 8;

    @Test
    void rejectOrWithdrawRacingAnApprovalLeavesExactlyOneDecision() throws Exception {
        String dept = Api.department("RACE", "競合");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String rejecter = Api.user("rej", null, "approver");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String id = Api.submit(requester, request(dept, "race " + round, item("CREATE", "MAILBOX",
                        Map.of("address", Api.unique("race.").toLowerCase() + "@corp.example"))));
                boolean withdraw = round % 2 == 1;
                IntSupplier other = withdraw
                        ? () -> as(requester).post("/api/v1/change-requests/{id}/withdraw", id).statusCode()
                        : () -> as(rejecter).body(Map.of("comment", "no")).post("/api/v1/change-requests/{id}/reject", id).statusCode();
                int[] codes = race(pool, () -> Api.approve(approver, id).extract().statusCode(), other);
                JsonPath after = as(approver).get("/api/v1/change-requests/{id}", id).then().statusCode(200).extract().jsonPath();
                String status = after.getString("status");
                List<String> decisions = Api.admin().get("/api/v1/audit?object={id}", id).then().statusCode(200)
                        .extract().jsonPath().getList("entries.action");
                decisions = decisions.stream().filter(a -> !a.equals("change.submitted") && !a.equals("change.applied")).toList();
                String which = (withdraw ? "withdraw" : "reject") + " round " + round + ": codes " + codes[0] + "/" + codes[1]
                        + ", status " + status + ", audit " + decisions;
                if (codes[0] == 200) {
                    assertEquals(409, codes[1], which);
                    assertTrue(status.equals("APPLYING") || status.equals("APPLIED"), which);
                    assertNotNull(after.get("appliedRevision"), which);
                    assertEquals(List.of("change.approved"), decisions, which);
                } else {
                    assertEquals(409, codes[0], which);
                    assertEquals(200, codes[1], which);
                    assertEquals(withdraw ? "WITHDRAWN" : "REJECTED", status, which);
                    assertNull(after.get("appliedRevision"), which);
                    assertEquals(List.of(withdraw ? "change.withdrawn" : "change.rejected"), decisions, which);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs both calls at the same moment and returns their status codes. */
    private static int[] race(ExecutorService pool, IntSupplier a, IntSupplier b) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (IntSupplier call : List.of(a, b)) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call.getAsInt();
            }, pool));
        }
        start.countDown();
        return new int[]{calls.get(0).get(60, TimeUnit.SECONDS), calls.get(1).get(60, TimeUnit.SECONDS)};
    }
}
