package com.mailgov.security;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Local accounts: closed by default, least privilege per role, passwords never shown. */
@QuarkusTest
class LocalAccountSecurityTest {

    @Test
    void withoutCredentialsEverythingUnderApiIsClosed() {
        for (String path : List.of("/api/v1/departments", "/api/v1/users", "/api/v1/change-requests", "/api/v1/directory",
                "/api/v1/audit", "/api/v1/policies")) {
            RestAssured.given().get(path).then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Basic"))
                    .body("type", equalTo("urn:mailgov:problem:unauthorized"));
        }
        RestAssured.given().auth().preemptive().basic("admin", "wrong-password-123").get("/api/v1/users").then().statusCode(401);
        RestAssured.given().auth().preemptive().basic("nobody-here", "wrong-password-123").get("/api/v1/users").then().statusCode(401);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void eachRoleGetsOnlyWhatItNeeds() {
        String dept = Api.department("SEC", "セキュリティ");
        String requester = Api.user("req", dept, "requester");
        String auditor = Api.user("aud", null, "auditor");
        Api.as(requester).get("/api/v1/users").then().statusCode(403).contentType("application/problem+json");
        Api.as(requester).body(Map.of("code", "X1", "name", "x")).post("/api/v1/departments").then().statusCode(403);
        Api.as(requester).get("/api/v1/audit").then().statusCode(403);
        Api.as(auditor).get("/api/v1/audit").then().statusCode(200);
        Api.as(auditor).get("/api/v1/users").then().statusCode(403);
    }

    @Test
    void passwordsAreNeverShownAndWeakOnesRefused() {
        String dept = Api.department("PW", "パスワード");
        Api.user("pw", dept, "requester");
        Api.admin().get("/api/v1/users").then().statusCode(200)
                .body(not(containsString(Api.PASSWORD)))
                .body(not(containsString("$2a$")))
                .body("username", hasItem("admin"));
        Api.admin().body(Map.of("username", "short", "password", "short", "roles", List.of("auditor")))
                .post("/api/v1/users").then().statusCode(400).body("field", equalTo("password"));
        Api.admin().body(Map.of("username", "norole", "password", "long-enough-password", "roles", List.of("root")))
                .post("/api/v1/users").then().statusCode(400).body("field", equalTo("roles[0]"));
        Api.admin().body(Map.of("username", "nodept", "password", "long-enough-password", "roles", List.of("requester")))
                .post("/api/v1/users").then().statusCode(400).body("field", equalTo("department"));
    }
}
