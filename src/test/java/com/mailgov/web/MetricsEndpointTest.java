package com.mailgov.web;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/**
 * Prometheus metrics: requests by outcome, findings by rule, the audit chain's length — for auditors
 * and admins only (issue 12, low: the endpoint was open to anyone who could reach the service).
 */
@QuarkusTest
class MetricsEndpointTest {

    @Test
    void countsWhatHappened() {
        String dept = Api.department("MET", "計測");
        String requester = Api.user("req", dept, "requester");
        String a = Api.unique("m") + "@corp.example";
        String b = Api.unique("m") + "@corp.example";
        Api.submit(requester, Api.request(dept, "loop",
                Api.item("CREATE", "FORWARD", Map.of("source", a, "targets", List.of(b))),
                Api.item("CREATE", "FORWARD", Map.of("source", b, "targets", List.of(a)))));
        String auditor = Api.user("scraper", null, "auditor");
        Api.as(auditor).get("/q/metrics").then().statusCode(200)
                .body(containsString("mailgov_change_requests_total{outcome=\"submitted\"}"))
                .body(containsString("mailgov_policy_findings_total{rule=\"forward-cycle\",severity=\"BLOCK\"}"))
                .body(containsString("mailgov_audit_chain_length"))
                .body(containsString("mailgov_push_jobs{status=\"pending\"}"))
                .body(containsString("mailgov_drift_differences"));
    }

    @Test
    void metricsAreForAuditorsAndAdminsOnly() {
        for (String path : List.of("/q/metrics", "/q/metrics/", "/q/metrics?name=x")) {
            RestAssured.given().redirects().follow(false).get(path).then().statusCode(401); // not a redirect to the login form
        }
        String requester = Api.user("req", Api.department("MET", "計測"), "requester");
        Api.as(requester).get("/q/metrics").then().statusCode(403);
        Api.admin().get("/q/metrics").then().statusCode(200).body(containsString("mailgov_audit_chain_length"));
    }
}
