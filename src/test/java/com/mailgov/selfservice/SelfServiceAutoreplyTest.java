package com.mailgov.selfservice;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Employees set their own autoreply through /api/v1/me/autoreply against the running service and
 * real PostgreSQL: a clean one is a standard change the policy approves and pushes at once; one
 * with a WARN finding waits for an approver; a revoked standard change class approves nothing;
 * nobody reaches another person's mailbox.
 */
@QuarkusTest
class SelfServiceAutoreplyTest {

    static final OffsetDateTime JST_NOW = OffsetDateTime.now(ZoneOffset.ofHours(9)).truncatedTo(ChronoUnit.MINUTES);

    String sales;
    String approver;
    String tanaka;
    String tanakaMailbox;
    String suzuki;
    String suzukiMailbox;

    @BeforeEach
    void company() {
        sales = Api.department("SALES", "営業一部");
        String sys = Api.department("SYS", "システム部");
        String requester = Api.user("it", sales, "requester");
        approver = Api.user("shimanaka", sys, "approver");
        tanakaMailbox = "tanaka." + sales.toLowerCase() + "@corp.example";
        suzukiMailbox = "suzuki." + sales.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(sales, "two mailboxes",
                item("CREATE", "MAILBOX", Map.of("address", tanakaMailbox, "displayName", "田中")),
                item("CREATE", "MAILBOX", Map.of("address", suzukiMailbox, "displayName", "鈴木"))))).statusCode(200);
        tanaka = employee("tanaka", tanakaMailbox);
        suzuki = employee("suzuki", suzukiMailbox);
    }

    /** An account that is only an employee: role self and its own mail address. */
    static String employee(String prefix, String email) {
        String username = Api.unique(prefix).toLowerCase();
        Api.admin().body(Map.of("username", username, "password", Api.PASSWORD, "roles", List.of("self"), "email", email))
                .post("/api/v1/users").then().statusCode(201).body("email", equalTo(email));
        return username;
    }

    static Map<String, Object> absence(String subject) {
        Map<String, Object> body = new HashMap<>();
        body.put("subject", subject);
        body.put("body", "12月1日から12月5日まで不在です。\nI am away until December 5.");
        body.put("startsAt", JST_NOW.minusHours(1).toString());
        body.put("endsAt", JST_NOW.plusDays(4).toString());
        body.put("audience", "INTERNAL");
        return body;
    }

    static ValidatableResponse put(String user, Map<String, Object> body) {
        return Api.as(user).body(body).put("/api/v1/me/autoreply").then();
    }

    @Test
    void aCleanAutoreplyIsApprovedByThePolicyAndAppliedWithoutAnApprover() {
        String id = put(tanaka, absence("不在のお知らせ")).statusCode(200)
                .body("mailbox", equalTo(tanakaMailbox))
                .body("displayName", equalTo("田中"))
                .body("autoreply.subject", equalTo("不在のお知らせ"))
                .body("lastRequest.standardChange", equalTo("own-autoreply"))
                .body("lastRequest.decidedBy", equalTo("system:standard-change"))
                .body("preview.from", equalTo(tanakaMailbox))
                .body("preview.autoSubmitted", equalTo("auto-replied"))
                .body("preview.sieveScript", containsString("vacation :days 7"))
                .extract().path("lastRequest.id");

        Api.awaitStatus(approver, id, "APPLIED");
        Api.as(tanaka).get("/api/v1/me/autoreply").then().statusCode(200)
                .body("lastRequest.status", equalTo("APPLIED"))
                .body("pushed", equalTo(true))
                .body("active", equalTo(true));
        // The approver sees it decided by the policy, with the class and the policy version it used.
        Api.as(approver).get("/api/v1/change-requests/{id}", id).then().statusCode(200)
                .body("decidedBy", equalTo("system:standard-change"))
                .body("standardChange", equalTo("own-autoreply"))
                .body("createdBy", equalTo(tanaka))
                .body("department", equalTo(sales))
                .body("decisionComment", containsString("policy version"));
        // And the audit log says so.
        Api.admin().queryParam("actor", "system:standard-change").queryParam("object", id)
                .get("/api/v1/audit").then().statusCode(200)
                .body("entries.action", hasItem("change.approved"));
    }

    @Test
    void anAutoreplyWithAWarnFindingWaitsForAnApprover() {
        // An alias of an alias delivering to suzuki's mailbox, which the pushed script does not answer for: a WARN.
        String requester = Api.user("it", sales, "requester");
        String alias = "eigyo-info." + sales.toLowerCase() + "@corp.example";
        String aliasOfAlias = "eigyo-all." + sales.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(sales, "aliases",
                item("CREATE", "FORWARD", Map.of("source", alias, "targets", List.of(suzukiMailbox), "keepCopy", false)),
                item("CREATE", "FORWARD", Map.of("source", aliasOfAlias, "targets", List.of(alias), "keepCopy", false)))))
                .statusCode(200);

        String id = put(suzuki, absence("不在")).statusCode(200)
                .body("lastRequest.status", equalTo("SUBMITTED"))
                .body("lastRequest.standardChange", nullValue())
                .body("autoreply", nullValue())
                .extract().path("lastRequest.id");
        Api.as(approver).get("/api/v1/change-requests/{id}", id).then().statusCode(200)
                .body("status", equalTo("SUBMITTED"))
                .body("highestSeverity", equalTo("WARN"));
    }

    @Test
    void revokingTheStandardChangeClassStopsAutoApproval() {
        Api.admin().get("/api/v1/policies/standard-changes").then().statusCode(200)
                .body("find { it.id == 'own-autoreply' }.enabled", equalTo(true));
        long before = ((Number) Api.admin().get("/api/v1/policies").then().extract().path("version")).longValue();
        try {
            Api.admin().post("/api/v1/policies/standard-changes/own-autoreply/revoke").then().statusCode(200)
                    .body("enabled", equalTo(false))
                    .body("policyVersion", equalTo((int) before + 1));
            Api.as(approver).post("/api/v1/policies/standard-changes/own-autoreply/revoke").then().statusCode(403);

            put(tanaka, absence("不在")).statusCode(200)
                    .body("lastRequest.status", equalTo("SUBMITTED"))
                    .body("lastRequest.decidedBy", nullValue());
            Api.admin().queryParam("action", "policy.standard_change_revoked").get("/api/v1/audit").then().statusCode(200)
                    .body("entries.objectId", hasItem("own-autoreply"));
        } finally {
            Api.admin().post("/api/v1/policies/standard-changes/own-autoreply/reinstate").then().statusCode(200)
                    .body("enabled", equalTo(true));
        }
        // Back in force: suzuki's clean autoreply is approved by the policy again.
        put(suzuki, absence("不在")).statusCode(200).body("lastRequest.standardChange", equalTo("own-autoreply"));
    }

    @Test
    void anotherEmployeesMailboxIsNotReachable() {
        put(suzuki, absence("鈴木の不在")).statusCode(200);

        Api.as(tanaka).queryParam("mailbox", suzukiMailbox).get("/api/v1/me/autoreply").then().statusCode(403)
                .contentType(containsString("application/problem+json"));
        Map<String, Object> tampered = absence("乗っ取り");
        tampered.put("mailbox", suzukiMailbox);
        put(tanaka, tampered).statusCode(403).body("errors[0].field", equalTo("mailbox"));
        Api.as(tanaka).queryParam("mailbox", suzukiMailbox).delete("/api/v1/me/autoreply").then().statusCode(403);
        // Suzuki's autoreply is unchanged, and tanaka got none.
        Api.as(suzuki).get("/api/v1/me/autoreply").then().statusCode(200).body("autoreply.subject", equalTo("鈴木の不在"));
        Api.as(tanaka).get("/api/v1/me/autoreply").then().statusCode(200).body("autoreply", nullValue());
        // An employee cannot use the requester's API either.
        Api.as(tanaka).get("/api/v1/change-requests").then().statusCode(403);
    }

    @Test
    void anAccountWhoseAddressIsNoMailboxHasNoAutoreplyToManage() {
        String stranger = employee("yamada", "yamada." + sales.toLowerCase() + "@corp.example");
        Api.as(stranger).get("/api/v1/me/autoreply").then().statusCode(403)
                .body("detail", containsString("not a mailbox"));
        String serviceAccount = Api.user("bot", sales, "requester");
        Api.as(serviceAccount).get("/api/v1/me/autoreply").then().statusCode(403);
    }

    @Test
    void fieldProblemsNameTheFormFieldsNotTheItemPath() {
        Map<String, Object> bad = absence(null);
        bad.put("endsAt", JST_NOW.minusDays(1).toString());
        ValidatableResponse r = put(tanaka, bad).statusCode(400)
                .contentType(containsString("application/problem+json"));
        List<String> fields = r.extract().path("errors.field");
        assertTrue(fields.contains("subject"), fields.toString());
        assertTrue(fields.contains("endsAt"), fields.toString());
        assertEquals(0, fields.stream().filter(f -> f.startsWith("items")).count(), fields.toString());
    }
}
