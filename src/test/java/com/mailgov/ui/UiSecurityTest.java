package com.mailgov.ui;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** How the pages and the API share the service: sessions for browsers, Basic/bearer for the API, CSRF on forms. */
@QuarkusTest
class UiSecurityTest {

    @Test
    void pagesSendAnonymousVisitorsToTheLoginForm() {
        RestAssured.given().redirects().follow(false).get("/").then().statusCode(302)
                .header("Location", endsWith("/login"));
        RestAssured.given().redirects().follow(false).get("/requests/00000000-0000-0000-0000-000000000000").then()
                .statusCode(302).header("Location", endsWith("/login"));
        RestAssured.given().get("/login").then().statusCode(200).body(containsString("j_security_check"));
    }

    @Test
    void theApiStillAnswersWithBasicAuthenticationAndNotWithARedirect() {
        RestAssured.given().redirects().follow(false).get("/api/v1/change-requests").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
        Api.admin().get("/api/v1/users").then().statusCode(200);
    }

    @Test
    void aWrongPasswordShowsTheLoginFormWithAnError() {
        RestAssured.given().redirects().follow(false).formParam("j_username", "admin").formParam("j_password", "wrong")
                .post("/j_security_check").then().statusCode(302).header("Location", containsString("/login?error"));
    }

    @Test
    void pagesMayNotBeFramedAndRunOnlyTheServicesOwnScripts() {
        RestAssured.given().get("/login").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        Api.admin().get("/api/v1/users").then().statusCode(200).header("X-Content-Type-Options", equalTo("nosniff"));
    }

    @Test
    void aLoginFormPostedFromAnotherSiteIsRefusedAndSetsNoSession() {
        // login CSRF: another site signs the victim's browser in as the attacker
        RestAssured.given().redirects().follow(false).header("Sec-Fetch-Site", "cross-site")
                .formParam("j_username", "admin").formParam("j_password", Api.ADMIN_PASSWORD)
                .post("/j_security_check").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:cross-site-request"))
                .header("Set-Cookie", nullValue());
        RestAssured.given().redirects().follow(false).header("Origin", "https://evil.example")
                .formParam("j_username", "admin").formParam("j_password", Api.ADMIN_PASSWORD)
                .post("/j_security_check").then().statusCode(403);
        // the service's own page: the same origin, or a browser that says so
        String self = "http://localhost:" + RestAssured.port;
        RestAssured.given().redirects().follow(false).header("Origin", self).header("Host", "localhost:" + RestAssured.port)
                .formParam("j_username", "admin").formParam("j_password", Api.ADMIN_PASSWORD)
                .post("/j_security_check").then().statusCode(302).header("Set-Cookie", containsString("mailgov-session"));
        RestAssured.given().redirects().follow(false).header("Sec-Fetch-Site", "same-origin")
                .formParam("j_username", "admin").formParam("j_password", Api.ADMIN_PASSWORD)
                .post("/j_security_check").then().statusCode(302).header("Location", not(containsString("error")));
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        CookieFilter cookies = new CookieFilter();
        RestAssured.given().filter(cookies).redirects().follow(false)
                .formParam("j_username", "admin").formParam("j_password", Api.ADMIN_PASSWORD)
                .post("/j_security_check").then().statusCode(302);
        RestAssured.given().filter(cookies).get("/admin/users").then().statusCode(200).body(containsString("csrf-token"));
        RestAssured.given().filter(cookies).redirects().follow(false)
                .formParam("username", Api.unique("csrf-").toLowerCase()).formParam("password", Api.PASSWORD)
                .formParam("roles", "auditor")
                .post("/admin/users").then().statusCode(403)
                .body("type", equalTo("urn:mailgov:problem:cross-site-request"));
    }

    @Test
    void theLanguageFollowsTheBrowserUntilALinkChoosesOne() {
        RestAssured.given().header("Accept-Language", "ja,en;q=0.5").get("/login").then()
                .body(containsString("<html lang=\"ja\">")).body(containsString("ログイン"));
        RestAssured.given().header("Accept-Language", "ja").cookie("mailgov-lang", "en").get("/login").then()
                .body(containsString("<html lang=\"en\">"));
        RestAssured.given().redirects().follow(false).get("/lang?to=ja&back=//evil.example/").then()
                .statusCode(303).header("Location", not(containsString("evil"))).cookie("mailgov-lang", equalTo("ja"));
    }
}
