package com.mailgov.change.expiry;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An autoreply whose period has ended is taken out of the directory (and so off the servers) by
 * mailgov itself, in one audited automatic request per department; one still running stays.
 */
@QuarkusTest
class AutoreplyExpiryTest {

    @Test
    void anEndedAutoreplyIsRemovedByAnAuditedAutomaticChangeAndARunningOneStays() throws Exception {
        String sales = Api.department("SALES", "営業一部");
        String requester = Api.user("it", sales, "requester");
        String approver = Api.user("shimanaka", Api.department("SYS", "システム部"), "approver");
        String ending = "takahashi." + sales.toLowerCase() + "@corp.example";
        String running = "sato." + sales.toLowerCase() + "@corp.example";
        Instant endsAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        String id = Api.submit(requester, request(sales, "absences",
                item("CREATE", "MAILBOX", Map.of("address", ending, "displayName", "高橋")),
                item("CREATE", "MAILBOX", Map.of("address", running, "displayName", "佐藤")),
                autoreply(ending, endsAt.toString()),
                autoreply(running, Instant.now().plus(1, ChronoUnit.DAYS).toString())));
        Api.approve(approver, id).statusCode(200);

        // The check runs every few seconds in tests (every minute by default).
        JsonPath expiry = awaitExpiryRequest(sales, Duration.ofSeconds(60));
        assertEquals("system:autoreply-expiry", expiry.getString("createdBy"));
        assertEquals("system:autoreply-expiry", expiry.getString("decidedBy"));
        assertEquals(sales, expiry.getString("department"));
        assertEquals(List.of(ending), expiry.getList("items.spec.mailbox"));
        String expiryId = expiry.getString("id");
        Api.awaitStatus(approver, expiryId, "APPLIED");

        List<String> left = Api.as(requester).queryParam("kind", "AUTOREPLY").get("/api/v1/directory")
                .then().statusCode(200).extract().path("objects.key");
        assertTrue(!left.contains(ending) && left.contains(running), "autoreplies left: " + left);
        Api.admin().queryParam("actor", "system:autoreply-expiry").queryParam("object", expiryId)
                .get("/api/v1/audit").then().statusCode(200)
                .body("entries.action", hasItem("change.approved"));

        // Later checks find nothing more to end: one request, not one a minute.
        Thread.sleep(6000);
        List<String> requests = Api.as(approver).queryParam("department", sales).get("/api/v1/change-requests")
                .then().statusCode(200).extract().path("createdBy");
        assertEquals(1, requests.stream().filter("system:autoreply-expiry"::equals).count(), requests.toString());
        Api.as(approver).get("/api/v1/change-requests/{id}", expiryId).then().body("status", equalTo("APPLIED"));
    }

    private static Map<String, Object> autoreply(String mailbox, String endsAt) {
        return item("CREATE", "AUTOREPLY", Map.of("mailbox", mailbox, "subject", "不在のお知らせ",
                "body", "不在です。", "endsAt", endsAt, "intervalDays", 1, "audience", "INTERNAL"));
    }

    private static JsonPath awaitExpiryRequest(String department, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> requests = Api.admin().queryParam("department", department)
                    .get("/api/v1/change-requests").then().statusCode(200).extract().path("$");
            for (Map<String, Object> r : requests) {
                if ("system:autoreply-expiry".equals(r.get("createdBy"))) {
                    return Api.admin().get("/api/v1/change-requests/{id}", r.get("id")).then().statusCode(200)
                            .extract().jsonPath();
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no expiry request in " + department + " within " + timeout);
    }
}
