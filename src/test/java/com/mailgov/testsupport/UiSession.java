package com.mailgov.testsupport;

import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** A signed-in browser session without a browser: the login form's cookie, for fetching pages' HTML. */
public final class UiSession {

    private UiSession() {
    }

    public static CookieFilter login(String username) {
        CookieFilter cookies = new CookieFilter();
        RestAssured.given().filter(cookies).redirects().follow(false)
                .formParam("j_username", username).formParam("j_password", Api.PASSWORD)
                .post("/j_security_check").then().statusCode(302).header("Location", not(containsString("error")));
        return cookies;
    }

    /** The HTML of a page, which must answer 200. */
    public static String page(CookieFilter session, String path) {
        return RestAssured.given().filter(session).get(path).then().statusCode(200).extract().asString();
    }
}
