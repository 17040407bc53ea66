package com.mailgov.security;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 (low): a session cookie someone copied (from a shared machine, a proxy log, a stolen
 * backup) stops working when its owner logs out, gets a new password or is disabled — checked on
 * the server, not only by the browser dropping its own copy.
 */
@QuarkusTest
class SessionRevocationTest {

    private static final String SESSION = "mailgov-session";
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private static String login(String username, String password) {
        Response r = RestAssured.given().redirects().follow(false).header("Sec-Fetch-Site", "same-origin")
                .formParam("j_username", username).formParam("j_password", password).post("/j_security_check");
        assertEquals(302, r.statusCode());
        String cookie = r.getCookie(SESSION);
        assertNotNull(cookie, "a session cookie is set");
        return cookie;
    }

    /** 200 when the cookie opens the start page; 302 (to the login form) when it does not. */
    private static int startPage(String session) {
        return RestAssured.given().redirects().follow(false).cookie(SESSION, session).get("/").statusCode();
    }

    @Test
    void aCopiedSessionCookieStopsWorkingWhenItsOwnerLogsOut() {
        String user = Api.user("sess", null, "auditor");
        String session = login(user, Api.PASSWORD);
        String copy = session; // what an attacker took from the browser
        assertEquals(200, startPage(copy));

        // the owner logs out with the page's own form
        Response home = RestAssured.given().cookie(SESSION, session).get("/");
        Matcher token = TOKEN.matcher(home.asString());
        assertTrue(token.find(), "the start page carries a logout form with a CSRF token");
        RestAssured.given().redirects().follow(false).header("Sec-Fetch-Site", "same-origin")
                .cookie(SESSION, session).cookie("mailgov-csrf", home.getCookie("mailgov-csrf"))
                .formParam("csrf-token", token.group(1)).post("/logout").then().statusCode(303);

        assertEquals(302, startPage(copy), "the copied cookie no longer opens a page");
        RestAssured.given().cookie(SESSION, copy).get("/api/v1/audit/verify").then().statusCode(401);
        assertEquals(200, startPage(login(user, Api.PASSWORD)), "logging in again works");
    }

    @Test
    void aNewPasswordOrDisablingTheAccountEndsItsSessions() {
        String user = Api.user("sess", null, "auditor");
        String beforeReset = login(user, Api.PASSWORD);
        assertEquals(200, startPage(beforeReset));
        Api.admin().body(Map.of("password", "another-horse-battery")).put("/api/v1/users/{u}/password", user)
                .then().statusCode(204);
        assertEquals(302, startPage(beforeReset), "a cookie from before the new password");

        String beforeDisable = login(user, "another-horse-battery");
        assertEquals(200, startPage(beforeDisable));
        Map<String, Object> disabled = new java.util.HashMap<>(Map.of("roles", List.of("auditor"), "enabled", false));
        Api.admin().body(disabled).put("/api/v1/users/{u}", user).then().statusCode(200);
        disabled.put("enabled", true);
        Api.admin().body(disabled).put("/api/v1/users/{u}", user).then().statusCode(200);
        assertEquals(302, startPage(beforeDisable), "enabling the account again does not bring its old sessions back");
        assertEquals(200, startPage(login(user, "another-horse-battery")));
    }
}
