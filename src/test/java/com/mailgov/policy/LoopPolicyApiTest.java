package com.mailgov.policy;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The loop-risk engine through the REST API on real PostgreSQL: the story of 営業一部's
 * takahashi, one case per rule, what-if, policy data and re-evaluation at approval.
 */
@QuarkusTest
class LoopPolicyApiTest {

    String sales;
    String requester;
    String approver;
    String takahashi;

    @BeforeEach
    void setUp() {
        sales = Api.department("SALES", "営業一部");
        String sys = Api.department("SYS", "システム部");
        requester = Api.user("takahashi", sales, "requester");
        approver = Api.user("shimanaka", sys, "approver");
        takahashi = "takahashi." + sales.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(sales, "takahashi and his test list",
                item("CREATE", "MAILBOX", Map.of("address", takahashi, "displayName", "高橋")),
                item("CREATE", "EXTERNAL_SUBSCRIPTION", Map.of("mailbox", takahashi, "listAddress", "test-ml@partner.example")))))
                .statusCode(200);
    }

    private Map<String, Object> autoreply(int days, String audience) {
        return item("CREATE", "AUTOREPLY", Map.of("mailbox", takahashi, "subject", "不在のお知らせ",
                "body", "出張のため12月1日まで不在です。", "intervalDays", days, "audience", audience));
    }

    private ValidatableResponse submitted(Map<String, Object>... items) {
        String id = Api.submit(requester, request(sales, "test", items));
        return as(approver).get("/api/v1/change-requests/{id}", id).then().statusCode(200);
    }

    @Test
    void theStoryEveryMessageAutoreplyOnAnUnknownExternalListIsBlockedWithItsPath() {
        String id = Api.submit(requester, request(sales, "不在設定", autoreply(0, "ALL")));
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body("highestSeverity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.severity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.path",
                        contains("test-ml@partner.example", takahashi, "(autoreply)", "test-ml@partner.example"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.amplificationPerHour", greaterThan(999))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.edges.kind", contains("SUBSCRIPTION", "AUTOREPLY"));
        Api.approve(approver, id).statusCode(422).body("rules", hasItem("autoreply-loop"));
    }

    /** Issue 12 #11: an external list that does not declare its Reply-To is assumed to point it at itself. */
    @Test
    void aWeeklyAutoreplyOnAnExternalListWithUndeclaredReplyToIsBlocked() {
        String id = Api.submit(requester, request(sales, "weekly", autoreply(7, "ALL")));
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body("highestSeverity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.severity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.message", containsString("may point Reply-To at itself"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.message", containsString("worst case"));
        Api.approve(approver, id).statusCode(422).body("type", equalTo("urn:mailgov:problem:policy-blocked"));
    }

    @Test
    void aWeeklyAutoreplyToEveryoneIsAWarningThatNeedsAReason() {
        // the list is declared not to point Reply-To at itself: one reply per sender a week is bounded
        String id = Api.submit(requester, request(sales, "weekly",
                item("UPDATE", "EXTERNAL_SUBSCRIPTION", Map.of("mailbox", takahashi, "listAddress", "test-ml@partner.example",
                        "replyToList", false, "addsListHeaders", false)),
                autoreply(7, "ALL")));
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body("highestSeverity", equalTo("WARN"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.message", containsString("at most once per 7 days"));
        Api.approve(approver, id).statusCode(422).body("type", equalTo("urn:mailgov:problem:override-reason-required"));
        as(approver).body(Map.of("comment", "ok", "overrideReason", "List confirmed to send List-Id; one reply a week is acceptable"))
                .post("/api/v1/change-requests/{id}/approve", id).then().statusCode(200)
                .body("status", equalTo("APPLYING"))
                .body("overrideReason", containsString("List-Id"));
        Api.awaitStatus(approver, id, "APPLIED");
    }

    @Test
    void anAutoreplyForInternalSendersHasNoLoopFinding() {
        submitted(autoreply(7, "INTERNAL")).body("findings.ruleId", not(hasItem("autoreply-loop")));
    }

    @Test
    void autoreplyIntervalRule() {
        submitted(autoreply(0, "INTERNAL")).body("findings.ruleId", hasItem("autoreply-interval"));
    }

    @Test
    void forwardCycleRule() {
        String a = "a." + sales.toLowerCase() + "@corp.example";
        String b = "b." + sales.toLowerCase() + "@corp.example";
        submitted(item("CREATE", "FORWARD", Map.of("source", a, "targets", List.of(b))),
                item("CREATE", "FORWARD", Map.of("source", b, "targets", List.of(a))))
                .body("findings.find { it.ruleId == 'forward-cycle' }.path", contains(a, b, a));
    }

    @Test
    void listCycleRule() {
        String list = "team." + sales.toLowerCase() + "@corp.example";
        submitted(item("CREATE", "MAILING_LIST", Map.of("address", list, "name", "チーム", "members", List.of(list))))
                .body("findings.find { it.ruleId == 'list-cycle' }.path", contains(list, list))
                .body("findings.find { it.ruleId == 'list-cycle' }.severity", equalTo("BLOCK"));
    }

    /**
     * Issue 12 #11: the pushed script lists every address that forwards straight to the mailbox, so
     * only an alias of an alias (which it does not list) is worth a warning.
     */
    @Test
    void autoreplyAddressesRule() {
        String alias = "sales-info." + sales.toLowerCase() + "@corp.example";
        String aliasOfAlias = "info." + sales.toLowerCase() + "@corp.example";
        submitted(item("CREATE", "FORWARD", Map.of("source", alias, "targets", List.of(takahashi))), autoreply(7, "INTERNAL"))
                .body("findings.ruleId", not(hasItem("autoreply-addresses")));
        submitted(item("CREATE", "FORWARD", Map.of("source", alias, "targets", List.of(takahashi))),
                item("CREATE", "FORWARD", Map.of("source", aliasOfAlias, "targets", List.of(alias))), autoreply(7, "INTERNAL"))
                .body("findings.find { it.ruleId == 'autoreply-addresses' }.message", containsString(aliasOfAlias))
                .body("findings.find { it.ruleId == 'autoreply-addresses' }.message", not(containsString(alias + " ")));
    }

    @Test
    void externalSubscriptionRule() {
        submitted(item("CREATE", "EXTERNAL_SUBSCRIPTION", Map.of("mailbox", takahashi, "listAddress", "news@vendor.example",
                "addsListHeaders", true, "replyToList", false)))
                .body("findings.find { it.ruleId == 'external-subscription' }.severity", equalTo("INFO"))
                .body("findings.find { it.ruleId == 'external-subscription' }.messageJa", containsString("社外メーリングリスト"));
    }

    @Test
    void externalForwardRule() {
        submitted(item("CREATE", "FORWARD", Map.of("source", "out." + sales.toLowerCase() + "@corp.example",
                "targets", List.of("me@home.example"))))
                .body("findings.find { it.ruleId == 'external-forward' }.severity", equalTo("WARN"));
    }

    @Test
    void whatIfAnswersWithFindingsAndStoresNothing() {
        long revision = Api.revision();
        long audit = Api.auditEntries();
        int requests = as(approver).get("/api/v1/change-requests?department={d}", sales).then().extract().jsonPath().getList("$").size();
        as(requester).body(request(sales, "what if", autoreply(0, "ALL"))).post("/api/v1/policy/evaluate").then()
                .statusCode(200)
                .body("highestSeverity", equalTo("BLOCK"))
                .body("findings.ruleId", hasItem("autoreply-loop"))
                .body("changes[0].kind", equalTo("AUTOREPLY"));
        assertEquals(revision, Api.revision());
        assertEquals(audit, Api.auditEntries());
        assertEquals(requests, as(approver).get("/api/v1/change-requests?department={d}", sales).then().extract().jsonPath().getList("$").size());
    }

    @Test
    void aFindingThatAppearedSinceSubmissionGatesApproval() {
        // The autoreply alone is harmless ...
        String autoreplyRequest = Api.submit(requester, request(sales, "autoreply", autoreply(0, "INTERNAL")));
        // (the interval rule blocks it anyway, so use a weekly one for the scenario)
        as(requester).post("/api/v1/change-requests/{id}/withdraw", autoreplyRequest).then().statusCode(200);
        String weekly = Api.submit(requester, request(sales, "weekly internal", autoreply(7, "INTERNAL")));
        as(approver).get("/api/v1/change-requests/{id}", weekly).then().body("findings.ruleId", not(hasItem("autoreply-loop")));
        // ... until an internal list that points Reply-To at itself gets the mailbox as a member.
        String list = "all." + sales.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, request(sales, "team list",
                item("CREATE", "MAILING_LIST", Map.of("address", list, "name", "全員", "members", List.of(takahashi),
                        "replyToList", true, "addsListHeaders", false))))).statusCode(200);
        Api.approve(approver, weekly).statusCode(422)
                .body("type", equalTo("urn:mailgov:problem:policy-blocked"))
                .body("findings.find { it.ruleId == 'autoreply-loop' }.path", contains(list, takahashi, "(autoreply)", list));
    }

    /** Issue 12 (low): a BLOCK rule that cannot be evaluated on a request blocks it (fail closed). */
    @Test
    void aCustomBlockRuleThatCannotBeEvaluatedStillBlocks() {
        Map<String, Object> rule = Map.of("id", "custom-many-targets",
                "expression", "changes.exists(c, c.after.targets.size() > 5)", // a mailbox has no targets: error
                "severity", "BLOCK", "message", "Too many targets", "messageJa", "転送先が多すぎます");
        Api.admin().body(Map.of("rules", Map.of(), "departments", Map.of(), "customRules", List.of(rule)))
                .put("/api/v1/policies").then().statusCode(200);
        try {
            String id = Api.submit(requester, request(sales, "mailbox",
                    item("CREATE", "MAILBOX", Map.of("address", "m." + sales.toLowerCase() + "@corp.example"))));
            as(approver).get("/api/v1/change-requests/{id}", id).then()
                    .body("findings.find { it.ruleId == 'custom-many-targets' }.severity", equalTo("BLOCK"))
                    .body("findings.find { it.ruleId == 'custom-many-targets' }.message", containsString("could not be evaluated"));
            Api.approve(approver, id).statusCode(422).body("type", equalTo("urn:mailgov:problem:policy-blocked"));
        } finally {
            Api.admin().body(Map.of("rules", Map.of(), "departments", Map.of(), "customRules", List.of()))
                    .put("/api/v1/policies").then().statusCode(200);
        }
    }

    @Test
    void policyChangesAreVersionedAuditedAndUsedForEvaluation() {
        String admin = "admin";
        long before = Api.admin().get("/api/v1/policies").then().statusCode(200).extract().jsonPath().getLong("version");
        Map<String, Object> doc = new HashMap<>();
        doc.put("rules", Map.of("external-forward", Map.of("severity", "BLOCK")));
        doc.put("departments", Map.of(sales, Map.of("external-subscription", Map.of("enabled", false))));
        doc.put("customRules", List.of(Map.of("id", "custom-no-home", "severity", "WARN",
                "expression", "changes.exists(c, c.kind == 'FORWARD' && c.after.targets.exists(t, t.endsWith('@home.example')))",
                "message", "Forwarding to home addresses", "messageJa", "自宅アドレスへの転送")));
        long version = Api.as(admin).body(doc).put("/api/v1/policies").then().statusCode(200)
                .body("version", equalTo((int) before + 1))
                .body("rules.find { it.id == 'external-forward' }.effective.severity", equalTo("BLOCK"))
                .extract().jsonPath().getLong("version");
        Api.admin().get("/api/v1/audit?action=policy.updated&limit=1").then()
                .body("entries[0].after.version", equalTo((int) version));

        String id = Api.submit(requester, request(sales, "home forward",
                item("CREATE", "FORWARD", Map.of("source", "home." + sales.toLowerCase() + "@corp.example", "targets", List.of("me@home.example"))),
                item("CREATE", "EXTERNAL_SUBSCRIPTION", Map.of("mailbox", takahashi, "listAddress", "other@vendor.example"))));
        as(approver).get("/api/v1/change-requests/{id}", id).then()
                .body("policyVersion", equalTo((int) version))
                .body("findings.find { it.ruleId == 'external-forward' }.severity", equalTo("BLOCK"))
                .body("findings.find { it.ruleId == 'custom-no-home' }.messageJa", equalTo("自宅アドレスへの転送"))
                .body("findings.ruleId", not(hasItem("external-subscription")));
        Api.admin().get("/api/v1/policies/versions/{v}", before).then().statusCode(200).body("version", equalTo((int) before));

        // Back to the defaults, so other tests see them.
        Api.admin().body(Map.of("rules", Map.of(), "departments", Map.of(), "customRules", List.of()))
                .put("/api/v1/policies").then().statusCode(200);
    }

    @Test
    void badPolicyUpdatesAreRefusedAndNothingIsStored() {
        long version = Api.admin().get("/api/v1/policies").then().extract().jsonPath().getLong("version");
        Api.admin().body(Map.of("rules", Map.of("no-such-rule", Map.of("enabled", false)))).put("/api/v1/policies")
                .then().statusCode(400).body("field", equalTo("rules.no-such-rule"));
        Api.admin().body(Map.of("rules", Map.of("autoreply-loop", Map.of("parameters", Map.of("postsPerHour", 0)))))
                .put("/api/v1/policies").then().statusCode(400).body("field", equalTo("rules.autoreply-loop.parameters.postsPerHour"));
        Api.admin().body(Map.of("rules", Map.of("autoreply-interval", Map.of("parameters", Map.of("minDays", 0)))))
                .put("/api/v1/policies").then().statusCode(400);
        Api.admin().body(Map.of("rules", Map.of("forward-cycle", Map.of("severity", "FATAL")))).put("/api/v1/policies")
                .then().statusCode(400).body("field", equalTo("rules.forward-cycle.severity"));
        Api.admin().body(Map.of("customRules", List.of(Map.of("id", "custom-bad", "severity", "WARN", "message", "m",
                        "expression", "changes.size() > ")))).put("/api/v1/policies")
                .then().statusCode(400).body("field", equalTo("customRules[0].expression"))
                .body("errors[0].message", containsString("line 1, column"));
        Api.admin().body(Map.of("customRules", List.of(Map.of("id", "custom-env", "severity", "WARN", "message", "m",
                        "expression", "env.HOME == '/root'")))).put("/api/v1/policies")
                .then().statusCode(400).body("field", equalTo("customRules[0].expression"));
        Api.admin().body(Map.of("customRules", List.of(Map.of("id", "custom-slow", "severity", "WARN", "message", "m",
                        "expression", "changes.all(c, c.after.targets.all(t, changes.all(d, d.after.targets.all(u, u != t + 'x'))))"))))
                .put("/api/v1/policies").then().statusCode(400).body("field", equalTo("customRules[0].expression"))
                .body("errors[0].message", containsString("runs too long"));
        Api.admin().body(Map.of("departments", Map.of("NOPE-DEPT", Map.of()))).put("/api/v1/policies")
                .then().statusCode(400).body("field", equalTo("departments.NOPE-DEPT"));
        as(approver).body(Map.of()).put("/api/v1/policies").then().statusCode(403);
        assertEquals(version, Api.admin().get("/api/v1/policies").then().extract().jsonPath().getLong("version"));
        as(approver).get("/api/v1/policies").then().statusCode(200).body("rules.id", hasItem("autoreply-loop"))
                .body("rules.find { it.id == 'autoreply-loop' }.parameters.name", contains("postsPerHour", "externalListMembers"));
        as(requester).get("/api/v1/policies").then().statusCode(403);
        as(approver).get("/api/v1/policies").then().body("document.customRules", empty());
    }
}
