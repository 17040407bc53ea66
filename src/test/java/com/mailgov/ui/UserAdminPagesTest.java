package com.mailgov.ui;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Account administration in the UI: plain form posts, as a browser without JavaScript sends them. */
@QuarkusTest
class UserAdminPagesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private static String csrf(CookieFilter cookies, String page) {
        Matcher m = CSRF.matcher(RestAssured.given().filter(cookies).get(page).then().statusCode(200).extract().asString());
        assertTrue(m.find(), "the page carries a CSRF token");
        return m.group(1);
    }

    @Test
    void disablingAnAccountEndsItsSessionAndTheListShowsIt() {
        String user = Api.user("ui-acct", null, "approver");
        CookieFilter userSession = Api.uiSession(user, Api.PASSWORD);
        RestAssured.given().filter(userSession).redirects().follow(false).get("/").then().statusCode(200);

        CookieFilter admin = Api.uiSession("admin", Api.ADMIN_PASSWORD);
        RestAssured.given().filter(admin).get("/admin/users/" + user).then()
                .body(containsString("value=\"approver\" checked")).body(containsString("id=\"u-enabled\" name=\"enabled\" value=\"true\" checked"));
        String token = csrf(admin, "/admin/users/" + user);
        // roles checked, "may log in" unchecked: an unchecked box sends nothing
        RestAssured.given().filter(admin).redirects().follow(false).formParam("csrf-token", token)
                .formParam("roles", "approver").post("/admin/users/" + user).then()
                .statusCode(303).header("Location", endsWith("/admin/users/" + user + "?done=saved"));

        RestAssured.given().filter(userSession).redirects().follow(false).get("/").then()
                .statusCode(302).header("Location", containsString("/login"));
        RestAssured.given().filter(admin).header("Accept-Language", "ja").cookie("mailgov-lang", "ja").get("/admin/users").then()
                .statusCode(200).body(containsString("<a href=\"/admin/users/" + user + "\">" + user + "</a>"))
                .body(containsString("無効"));
    }

    @Test
    void aTooShortPasswordIsShownNextToTheFieldAndAGoodOneWorks() {
        String user = Api.user("ui-pw", null, "auditor");
        CookieFilter admin = Api.uiSession("admin", Api.ADMIN_PASSWORD);
        String token = csrf(admin, "/admin/users/" + user);
        RestAssured.given().filter(admin).redirects().follow(false).formParam("csrf-token", token)
                .formParam("password", "short").post("/admin/users/" + user + "/password").then()
                .statusCode(400).body(containsString("id=\"password-error\"")).body(not(containsString("value=\"short\"")));
        String fresh = "ui-new-password-" + System.nanoTime();
        RestAssured.given().filter(admin).redirects().follow(false).formParam("csrf-token", token)
                .formParam("password", fresh).post("/admin/users/" + user + "/password").then().statusCode(303);
        Api.uiSession(user, fresh);
    }

    @Test
    void anAdminAddsADepartmentWithAJapaneseName() {
        CookieFilter admin = Api.uiSession("admin", Api.ADMIN_PASSWORD);
        String token = csrf(admin, "/admin/users");
        String code = "UI" + (System.nanoTime() % 100000);
        // as a browser posts a form from a UTF-8 page
        RestAssured.given().filter(admin).redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("csrf-token", token).formParam("code", code).formParam("name", "海外営業部")
                .post("/admin/departments").then().statusCode(303);
        RestAssured.given().filter(admin).get("/admin/users").then()
                .body(containsString("<td>" + code + "</td><td>海外営業部</td>"));
        RestAssured.given().filter(admin).redirects().follow(false).formParam("csrf-token", token)
                .formParam("code", "bad code!").formParam("name", "x").post("/admin/departments").then()
                .statusCode(400).body(containsString("id=\"d-code\" name=\"code\" value=\"bad code!\" aria-invalid=\"true\""));
    }
}
