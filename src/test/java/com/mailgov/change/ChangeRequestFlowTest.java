package com.mailgov.change;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ChangeRequestFlowTest {

    String sales;
    String takahashi;
    String shimanaka;
    String otherDept;
    String outsider;

    @BeforeEach
    void setUp() {
        sales = Api.department("SALES", "営業一部");
        otherDept = Api.department("SAPPORO", "札幌営業所");
        String sys = Api.department("SYS", "システム部");
        takahashi = Api.user("takahashi", sales, "requester");
        shimanaka = Api.user("shimanaka", sys, "approver");
        outsider = Api.user("sato", otherDept, "requester");
    }

    private String addr(String local) {
        return local + "." + sales.toLowerCase() + "@corp.example";
    }

    @Test
    void requesterSubmitsAForwardAndOnlyAnotherPersonCanApproveIt() {
        long revisionBefore = Api.revision();
        String id = Api.submit(takahashi, request(sales, "Forward sales inquiries",
                item("CREATE", "FORWARD", Map.of("source", addr("inquiry"), "targets", List.of(addr("takahashi"))))));

        as(takahashi).get("/api/v1/change-requests/{id}", id).then().statusCode(200)
                .body("status", equalTo("SUBMITTED"))
                .body("findings", empty())
                .body("baseRevision", equalTo((int) revisionBefore));

        // Four eyes: the submitter is not an approver, and approvers cannot approve their own.
        as(takahashi).body(Map.of("comment", "self")).post("/api/v1/change-requests/{id}/approve", id)
                .then().statusCode(403).contentType("application/problem+json");

        Api.approve(shimanaka, id).statusCode(200)
                .body("status", equalTo("APPLYING"))
                .body("decidedBy", equalTo(shimanaka))
                .body("appliedRevision", equalTo((int) revisionBefore + 1))
                .body("pushes.server", contains("file"));
        // The embedded default pushes to files in the data folder: the alias is in the Postfix map.
        Api.awaitStatus(takahashi, id, "APPLIED");
        as(takahashi).get("/api/v1/change-requests/{id}", id).then()
                .body("pushes[0].status", equalTo("APPLIED"))
                .body("pushes[0].attempts", equalTo(1));
        assertTrue(fileServerMap().contains(addr("inquiry") + " "), "alias line in the file server's postfix/virtual");

        assertEquals(revisionBefore + 1, Api.revision());
        as(takahashi).get("/api/v1/directory?kind=FORWARD").then().statusCode(200)
                .body("objects.key", hasItem(addr("inquiry")));
        as(takahashi).get("/api/v1/audit/verify").then().statusCode(403);
        Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        Api.admin().get("/api/v1/audit?object={id}", id).then().statusCode(200)
                .body("entries.action", contains("change.applied", "change.approved", "change.submitted"))
                .body("entries[0].actor", equalTo("system"))
                .body("entries[1].actor", equalTo(shimanaka));
    }

    @Test
    void anApproverCannotApproveTheirOwnRequest() {
        String sys = Api.department("SYS", "システム部");
        String approverA = Api.user("approver", sys, "approver");
        String id = Api.submit(approverA, request(sales, "mailbox",
                item("CREATE", "MAILBOX", Map.of("address", addr("suzuki"), "displayName", "鈴木"))));
        as(approverA).body(Map.of("comment", "mine")).post("/api/v1/change-requests/{id}/approve", id)
                .then().statusCode(403)
                .body("type", equalTo("urn:mailgov:problem:self-approval"));
        Api.approve(shimanaka, id).statusCode(200).body("status", equalTo("APPLIED"));
    }

    /**
     * Issue 12 (low): a ticketing system posts requests with its service account; the person who
     * filed the ticket is recorded and cannot approve (or reject) the request their ticket became.
     */
    @Test
    void thePersonWhoFiledTheTicketCannotApproveTheRequestItBecame() {
        String sys = Api.department("SYS", "システム部");
        String reporter = Api.user("reporter", sys, "approver"); // an approver who files a ticket for their own change
        String bot = Api.user("ticketing", sales, "requester");
        Map<String, Object> body = new java.util.HashMap<>(request(sales, "From the ticket",
                item("CREATE", "MAILBOX", Map.of("address", addr("ticket"), "displayName", "チケット"))));
        body.put("externalRef", Map.of("system", "jira", "key", "OPS-4711", "author", reporter.toUpperCase()));
        String id = Api.submit(bot, body);

        as(reporter).get("/api/v1/change-requests/{id}", id).then().statusCode(200)
                .body("externalRef.author", equalTo(reporter.toUpperCase()))
                .body("allowedActions", org.hamcrest.Matchers.not(hasItem("APPROVE")));
        as(reporter).body(Map.of("comment", "my own ticket")).post("/api/v1/change-requests/{id}/approve", id)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:self-approval"))
                .body("detail", org.hamcrest.Matchers.containsString("OPS-4711"));
        as(reporter).body(Map.of("comment", "no")).post("/api/v1/change-requests/{id}/reject", id)
                .then().statusCode(403).body("type", equalTo("urn:mailgov:problem:self-approval"));
        Api.approve(shimanaka, id).statusCode(200).body("decidedBy", equalTo(shimanaka));
    }

    @Test
    void aForwardLoopIsBlockedWithItsPath() {
        String a = addr("a");
        String b = addr("b");
        String c = addr("c");
        String id = Api.submit(takahashi, request(sales, "loop",
                item("CREATE", "FORWARD", Map.of("source", a, "targets", List.of(b))),
                item("CREATE", "FORWARD", Map.of("source", b, "targets", List.of(c))),
                item("CREATE", "FORWARD", Map.of("source", c, "targets", List.of(a, c)))));
        as(shimanaka).get("/api/v1/change-requests/{id}", id).then()
                .body("highestSeverity", equalTo("BLOCK"))
                .body("findings[0].ruleId", equalTo("forward-cycle"))
                .body("findings[0].path", contains(a, b, c, a))
                .body("findings[0].messageJa", startsWith("転送ループ"));
        long revision = Api.revision();
        Api.approve(shimanaka, id).statusCode(422)
                .body("type", equalTo("urn:mailgov:problem:policy-blocked"))
                .body("rules", contains("forward-cycle"));
        assertEquals(revision, Api.revision());
    }

    @Test
    void aSelfForwardKeepsACopyAndIsNoLoop() {
        String a = addr("keep");
        String id = Api.submit(takahashi, request(sales, "keep a copy",
                item("CREATE", "FORWARD", Map.of("source", a, "targets", List.of(a, "someone@partner.example")))));
        as(shimanaka).get("/api/v1/change-requests/{id}", id).then()
                .body("findings.ruleId", contains("external-forward")); // the copy leaving the company, no loop
    }

    @Test
    void anAutoreplyThatAnswersEveryMessageIsBlocked() {
        String box = addr("takahashi");
        String id = Api.submit(takahashi, request(sales, "out of office",
                item("CREATE", "MAILBOX", Map.of("address", box, "displayName", "高橋")),
                item("CREATE", "AUTOREPLY", Map.of("mailbox", box, "subject", "不在のお知らせ", "body",
                        "12月1日まで不在です。", "intervalDays", 0, "audience", "ALL"))));
        as(shimanaka).get("/api/v1/change-requests/{id}", id).then()
                .body("findings.ruleId", contains("autoreply-interval"))
                .body("findings[0].severity", equalTo("BLOCK"));
    }

    @Test
    void approvalIsRefusedWhenTheSameObjectChangedSinceTheBaseRevision() {
        String box = addr("yamada");
        Api.approve(shimanaka, Api.submit(takahashi, request(sales, "mailbox",
                item("CREATE", "MAILBOX", Map.of("address", box, "displayName", "山田"))))).statusCode(200);
        String first = Api.submit(takahashi, request(sales, "rename 1",
                item("UPDATE", "MAILBOX", Map.of("address", box, "displayName", "山田 太郎"))));
        String second = Api.submit(takahashi, request(sales, "rename 2",
                item("UPDATE", "MAILBOX", Map.of("address", box, "displayName", "Yamada Taro"))));
        long applied = Api.approve(shimanaka, first).statusCode(200).extract().jsonPath().getLong("appliedRevision");
        Api.approve(shimanaka, second).statusCode(409)
                .body("type", equalTo("urn:mailgov:problem:concurrent-change"))
                .body("conflicts[0].object", equalTo(box))
                .body("conflicts[0].revision", equalTo((int) applied));
        as(takahashi).get("/api/v1/change-requests/{id}", second).then().body("status", equalTo("SUBMITTED"));
    }

    @Test
    void otherDepartmentsRequestsAreInvisibleAndTheirObjectsUntouchable() {
        String box = addr("owned");
        Api.approve(shimanaka, Api.submit(takahashi, request(sales, "mailbox",
                item("CREATE", "MAILBOX", Map.of("address", box))))).statusCode(200);
        String id = Api.submit(takahashi, request(sales, "pending", item("CREATE", "MAILBOX", Map.of("address", addr("p")))));

        as(outsider).get("/api/v1/change-requests/{id}", id).then().statusCode(404);
        as(outsider).get("/api/v1/change-requests?department={d}", sales).then().statusCode(403);
        as(outsider).get("/api/v1/directory?department={d}", sales).then().statusCode(403);
        as(outsider).body(request(sales, "not mine", item("CREATE", "MAILBOX", Map.of("address", addr("x")))))
                .post("/api/v1/change-requests").then().statusCode(403).body("field", equalTo("department"));
        as(outsider).body(request(otherDept, "not mine either", item("DELETE", "MAILBOX", Map.of("address", box))))
                .post("/api/v1/change-requests").then().statusCode(403).body("field", equalTo("items[0].spec.address"));
        as(outsider).body(Map.of()).post("/api/v1/change-requests/{id}/withdraw", id).then().statusCode(404);
    }

    @Test
    void rejectAndWithdrawEndARequest() {
        String r = Api.submit(takahashi, request(sales, "to reject", item("CREATE", "MAILBOX", Map.of("address", addr("r")))));
        as(shimanaka).body(Map.of()).post("/api/v1/change-requests/{id}/reject", r).then().statusCode(400)
                .body("field", equalTo("comment"));
        as(shimanaka).body(Map.of("comment", "名前の規則に合いません")).post("/api/v1/change-requests/{id}/reject", r)
                .then().statusCode(200).body("status", equalTo("REJECTED"));
        Api.approve(shimanaka, r).statusCode(409).body("type", equalTo("urn:mailgov:problem:invalid-state"));

        String w = Api.submit(takahashi, request(sales, "to withdraw", item("CREATE", "MAILBOX", Map.of("address", addr("w")))));
        as(shimanaka).post("/api/v1/change-requests/{id}/withdraw", w).then().statusCode(403);
        as(takahashi).post("/api/v1/change-requests/{id}/withdraw", w).then().statusCode(200).body("status", equalTo("WITHDRAWN"));
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponse() {
        Map<String, Object> body = request(sales, "idempotent", item("CREATE", "MAILBOX", Map.of("address", addr("idem"))));
        String key = Api.unique("key-");
        String first = as(takahashi).header("Idempotency-Key", key).body(body).post("/api/v1/change-requests")
                .then().statusCode(201).extract().asString();
        String again = as(takahashi).header("Idempotency-Key", key).body(body).post("/api/v1/change-requests")
                .then().statusCode(201).extract().asString();
        assertEquals(first, again);
        as(takahashi).header("Idempotency-Key", key)
                .body(request(sales, "other body", item("CREATE", "MAILBOX", Map.of("address", addr("idem2")))))
                .post("/api/v1/change-requests").then().statusCode(422)
                .body("type", equalTo("urn:mailgov:problem:idempotency-key-reused"));
        as(takahashi).get("/api/v1/change-requests?department={d}", sales).then()
                .body("findAll { it.title == 'idempotent' }", hasSize(1));
    }

    @Test
    void mailingListMembersAreStoredAndShown() {
        String list = addr("team");
        Api.approve(shimanaka, Api.submit(takahashi, request(sales, "list",
                item("CREATE", "MAILING_LIST", Map.of("address", list, "name", "営業チーム",
                        "members", List.of(addr("m1"), "partner@example.com")))))).statusCode(200);
        as(takahashi).get("/api/v1/directory?kind=MAILING_LIST").then()
                .body("objects.find { it.key == '" + list + "' }.spec.members", contains(addr("m1"), "partner@example.com"));
        Api.approve(shimanaka, Api.submit(takahashi, request(sales, "member",
                item("DELETE", "LIST_MEMBER", Map.of("list", list, "member", "partner@example.com"))))).statusCode(200);
        as(takahashi).get("/api/v1/directory?kind=MAILING_LIST").then()
                .body("objects.find { it.key == '" + list + "' }.spec.members", contains(addr("m1")));
    }

    private static String fileServerMap() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("target/test-data/mail-config/postfix/virtual"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
