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
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
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

    @Test
    void anAdminChangesRolesDisablesAndResetsPasswordsAndEveryStepIsAudited() {
        String user = Api.user("acct", null, "approver");
        Api.as(user).get("/api/v1/change-requests").then().statusCode(200);
        Api.as(user).get("/api/v1/audit").then().statusCode(403);

        Api.admin().body(Map.of("roles", List.of("auditor"), "enabled", true)).put("/api/v1/users/{u}", user).then()
                .statusCode(200).body("roles", equalTo(List.of("auditor"))).body("enabled", equalTo(true));
        Api.as(user).get("/api/v1/audit").then().statusCode(200); // at once, not when a cached login expires

        Api.admin().body(Map.of("roles", List.of("auditor"), "enabled", false)).put("/api/v1/users/{u}", user).then()
                .statusCode(200).body("enabled", equalTo(false)).body("disabledAt", notNullValue());
        Api.as(user).get("/api/v1/audit").then().statusCode(401);
        Api.admin().body(Map.of("roles", List.of("auditor"), "enabled", true)).put("/api/v1/users/{u}", user).then()
                .statusCode(200).body("disabledAt", nullValue());
        Api.as(user).get("/api/v1/audit").then().statusCode(200);

        String fresh = "新しい-passphrase-" + System.nanoTime();
        Api.admin().body(Map.of("password", fresh)).put("/api/v1/users/{u}/password", user).then().statusCode(204);
        Api.as(user).get("/api/v1/audit").then().statusCode(401);
        // as curl sends it: the credentials' UTF-8 bytes
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + fresh).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RestAssured.given().header("Authorization", basic).get("/api/v1/audit").then().statusCode(200);

        Api.admin().get("/api/v1/audit?object={u}", user).then().statusCode(200)
                .body("entries.action", hasItems("user.created", "user.updated", "user.password_reset"))
                .body(not(containsString(fresh)));
    }

    @Test
    void badAccountChangesAreRefusedByField() {
        String user = Api.user("bad", null, "approver");
        Api.admin().body(Map.of("roles", List.of("root"), "enabled", true)).put("/api/v1/users/{u}", user).then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("roles[0]"));
        Api.admin().body(Map.of("roles", List.of("approver"))).put("/api/v1/users/{u}", user).then()
                .statusCode(400).body("field", equalTo("enabled"));
        Api.admin().body(Map.of("roles", List.of("requester"), "enabled", true)).put("/api/v1/users/{u}", user).then()
                .statusCode(400).body("field", equalTo("department"));
        Api.admin().body(Map.of("password", "short")).put("/api/v1/users/{u}/password", user).then()
                .statusCode(400).body("field", equalTo("password"));
        Api.admin().body(Map.of("roles", List.of("approver"), "enabled", true)).put("/api/v1/users/{u}", "nobody-" + System.nanoTime())
                .then().statusCode(404).contentType("application/problem+json");
        Api.as(user).body(Map.of("roles", List.of("admin"), "enabled", true)).put("/api/v1/users/{u}", user).then()
                .statusCode(403); // nobody promotes themselves
        Api.as(user).get("/api/v1/change-requests").then().statusCode(200); // nothing changed
    }

    @Test
    void theLastEnabledAdminCanNeitherBeDemotedNorDisabled() {
        // leave "admin" as the only enabled admin; the admins other tests made are put back afterwards
        List<String> others = Api.admin().get("/api/v1/users").then().extract()
                .path("findAll { it.enabled && it.roles.contains('admin') && it.username != 'admin' }.username");
        Map<String, List<String>> roles = new java.util.HashMap<>();
        try {
            for (String other : others) {
                roles.put(other, Api.admin().get("/api/v1/users/{u}", other).then().extract().path("roles"));
                Api.admin().body(Map.of("roles", roles.get(other), "enabled", false)).put("/api/v1/users/{u}", other)
                        .then().statusCode(200);
            }
            Api.admin().body(Map.of("roles", List.of("auditor"), "enabled", true)).put("/api/v1/users/{u}", "admin").then()
                    .statusCode(409).contentType("application/problem+json").body("field", equalTo("roles"));
            Api.admin().body(Map.of("roles", List.of("admin"), "enabled", false)).put("/api/v1/users/{u}", "admin").then()
                    .statusCode(409).body("field", equalTo("enabled"));
            Api.admin().get("/api/v1/users/{u}", "admin").then().body("enabled", equalTo(true)).body("roles", hasItem("admin"));
        } finally {
            roles.forEach((other, r) -> Api.admin().body(Map.of("roles", r, "enabled", true)).put("/api/v1/users/{u}", other));
        }
    }
}
