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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12 #1: no department can divert, answer for or subscribe another department's address,
 * whatever kind of object it asks for; the refusal names the department that owns the address.
 */
@QuarkusTest
class AddressOwnershipTest {

    String sales;
    String exec;
    String salesman;
    String secretary;
    String approver;
    String ceo;

    @BeforeEach
    void setUp() {
        sales = Api.department("SALES", "営業部");
        exec = Api.department("EXEC", "役員室");
        String sys = Api.department("SYS", "システム部");
        salesman = Api.user("takahashi", sales, "requester");
        secretary = Api.user("hisho", exec, "requester");
        approver = Api.user("shimanaka", sys, "approver");
        ceo = "ceo." + exec.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(secretary, request(exec, "CEO mailbox",
                item("CREATE", "MAILBOX", Map.of("address", ceo))))).statusCode(200);
    }

    @Test
    void aForwardFromAnotherDepartmentsMailboxIsRefusedNamingTheOwner() {
        long revision = Api.revision();
        Map<String, Object> divert = request(sales, "divert the CEO", item("CREATE", "FORWARD",
                Map.of("source", ceo, "targets", List.of("me." + sales.toLowerCase() + "@corp.example"), "keepCopy", true)));
        as(salesman).body(divert).post("/api/v1/change-requests").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:forbidden"))
                .body("field", equalTo("items[0].spec.source"))
                .body("ownerDepartment", equalTo(exec))
                .body("detail", containsString(exec));
        // the same rule for an approver acting for SALES, and for the what-if check
        as(approver).body(divert).post("/api/v1/change-requests").then().statusCode(403).body("ownerDepartment", equalTo(exec));
        as(salesman).body(divert).post("/api/v1/policy/evaluate").then().statusCode(403).body("ownerDepartment", equalTo(exec));
        as(approver).get("/api/v1/change-requests?department={d}", sales).then().statusCode(200).body("size()", equalTo(0));
        assertEquals(revision, Api.revision());

        // the owner itself may forward its mailbox
        String own = Api.submit(secretary, request(exec, "CEO away", item("CREATE", "FORWARD",
                Map.of("source", ceo, "targets", List.of("deputy." + exec.toLowerCase() + "@corp.example"), "keepCopy", true))));
        Api.approve(approver, own).statusCode(200);
        // ... and once it exists, another department can neither change nor remove it
        as(salesman).body(request(sales, "take it over", item("UPDATE", "FORWARD",
                Map.of("source", ceo, "targets", List.of("me." + sales.toLowerCase() + "@corp.example")))))
                .post("/api/v1/change-requests").then().statusCode(403).body("ownerDepartment", equalTo(exec));
        as(salesman).body(request(sales, "remove it", item("DELETE", "FORWARD", Map.of("source", ceo))))
                .post("/api/v1/change-requests").then().statusCode(403).body("ownerDepartment", equalTo(exec));
    }

    @Test
    void everyKindKeyedByAnotherDepartmentsAddressIsRefusedByTheSameRule() {
        Map<String, Map<String, Object>> attempts = Map.of(
                "subscription", item("CREATE", "EXTERNAL_SUBSCRIPTION",
                        Map.of("mailbox", ceo, "listAddress", "news@partner.example")),
                "autoreply", item("CREATE", "AUTOREPLY", Map.of("mailbox", ceo, "subject", "不在", "body", "不在です。",
                        "intervalDays", 7, "audience", "INTERNAL")),
                "list at the address", item("CREATE", "MAILING_LIST", Map.of("address", ceo, "name", "役員")),
                "mailbox delete", item("DELETE", "MAILBOX", Map.of("address", ceo)));
        attempts.forEach((name, attempt) -> as(salesman).body(request(sales, name, attempt))
                .post("/api/v1/change-requests").then().statusCode(403)
                .body("type", equalTo("urn:mailgov:problem:forbidden"))
                .body("ownerDepartment", equalTo(exec)));
    }
}
