package com.mailgov.ui;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 #2: four eyes cannot be ridden through a logged-in browser. Every state-changing request
 * a session authenticates needs the page's CSRF token, whatever its content type, and none may come
 * from another site.
 */
@QuarkusTest
class CrossSiteRequestTest {

    static final String CROSS_SITE = "urn:mailgov:problem:cross-site-request";
    static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    String dept;
    String requester;
    String approver;
    String id;

    @BeforeEach
    void setUp() {
        dept = Api.department("CSRF", "経理部");
        String sys = Api.department("SYS", "システム部");
        requester = Api.user("req", dept, "requester");
        approver = Api.user("appr", sys, "approver");
        id = Api.submit(requester, request(dept, "mailbox", item("CREATE", "MAILBOX",
                Map.of("address", Api.unique("csrf.").toLowerCase() + "@corp.example"))));
    }

    @Test
    void anApprovalWithoutTheTokenIsRefusedWhateverItsContentType() {
        CookieFilter session = login(approver, Api.PASSWORD);
        String token = token(session, "/requests/" + id); // the browser now holds the CSRF cookie
        String approve = "/requests/" + id + "/approve";
        // what fetch() from a sibling page sends: no body, no content type
        refused(page(session).post(approve));
        refused(page(session).contentType("application/json").body("{\"comment\":\"ok\"}").post(approve));
        refused(page(session).contentType("text/plain").body("comment=ok").post(approve));
        refused(page(session).formParam("comment", "ok").post(approve));
        refused(page(session).header("X-CSRF-TOKEN", "forged").post(approve));
        // the API refuses the session cookie's ride too
        refused(page(session).post("/api/v1/change-requests/{id}/approve", id));
        refused(page(session).contentType("application/json").body("{\"comment\":\"ok\"}")
                .post("/api/v1/change-requests/{id}/approve", id));
        // the right token from another site, or from a sibling host, is still refused
        refused(page(session).header("Sec-Fetch-Site", "cross-site").formParam("csrf-token", token)
                .formParam("comment", "ok").post(approve));
        refused(page(session).header("Sec-Fetch-Site", "same-site").formParam("csrf-token", token)
                .formParam("comment", "ok").post(approve));
        refused(page(session).header("Origin", "https://evil.example").header("X-CSRF-TOKEN", token).post(approve));
        // the decision forms, withdraw and retry-push are guarded the same way
        refused(page(session).post("/requests/" + id + "/reject"));
        refused(page(session).post("/requests/" + id + "/withdraw"));
        as(approver).get("/api/v1/change-requests/{id}", id).then().body("status", equalTo("SUBMITTED"));

        // the service's own form, as the browser posts it, still decides
        page(session).header("Sec-Fetch-Site", "same-origin").formParam("csrf-token", token).formParam("comment", "ok")
                .post(approve).then().statusCode(303);
        as(approver).get("/api/v1/change-requests/{id}", id).then().body("status", equalTo("APPLYING"));
    }

    @Test
    void anEmptyPostToThePolicyRulesPageDoesNotResetTheRules() {
        long before = Api.admin().get("/api/v1/policies").then().statusCode(200).extract().jsonPath().getLong("version");
        CookieFilter session = login("admin", Api.ADMIN_PASSWORD);
        String token = token(session, "/admin/policies");
        refused(page(session).post("/admin/policies/rules"));
        refused(page(session).contentType("application/x-www-form-urlencoded").body("").post("/admin/policies/rules"));
        refused(page(session).formParam("username", "csrf-made").formParam("password", Api.PASSWORD)
                .formParam("roles", "admin").post("/admin/users"));
        refused(page(session).formParam("code", "CSRFMADE").formParam("name", "x").post("/admin/departments"));
        refused(page(session).post("/servers/1/reconcile"));
        assertEquals(before, Api.admin().get("/api/v1/policies").then().extract().jsonPath().getLong("version"));
        Api.admin().get("/api/v1/users/csrf-made").then().statusCode(404);

        // with the page's token the same form is taken (and stored as a new policy version)
        page(session).formParam("csrf-token", token).post("/admin/policies/rules").then().statusCode(303);
        assertEquals(before + 1, Api.admin().get("/api/v1/policies").then().extract().jsonPath().getLong("version"));
    }

    @Test
    void scriptsWithBasicAuthenticationAreNotBrowsersAndNeedNoToken() {
        as(approver).body(Map.of("comment", "ok")).post("/api/v1/change-requests/{id}/approve", id).then().statusCode(200);
    }

    private static void refused(Response response) {
        String body = response.asString();
        assertEquals(403, response.statusCode(), body);
        assertTrue(response.contentType().startsWith("application/problem+json"), body);
        assertEquals(CROSS_SITE, response.jsonPath().getString("type"), body);
    }

    private static RequestSpecification page(CookieFilter session) {
        return RestAssured.given().filter(session).redirects().follow(false);
    }

    private static CookieFilter login(String username, String password) {
        CookieFilter cookies = new CookieFilter();
        RestAssured.given().filter(cookies).redirects().follow(false)
                .formParam("j_username", username).formParam("j_password", password)
                .post("/j_security_check").then().statusCode(302);
        return cookies;
    }

    /** The CSRF token a page's form carries (the page also sets the matching cookie). */
    private static String token(CookieFilter session, String path) {
        String html = page(session).get(path).then().statusCode(200).extract().asString();
        Matcher m = TOKEN.matcher(html);
        assertTrue(m.find(), "no CSRF token on " + path);
        return m.group(1);
    }
}
