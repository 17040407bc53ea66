package com.mailgov.security;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.KeycloakTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The walk through the product with real Keycloak tokens: a requester of 営業一部 submits, the
 * same person cannot approve, an approver of システム部 approves, an auditor reads the trail.
 * Roles come from realm_access.roles, the department from the token's department claim.
 */
@QuarkusTest
@TestProfile(KeycloakFlowTest.WithKeycloak.class)
class KeycloakFlowTest {

    public static class WithKeycloak implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakTestResource.class));
        }
    }

    private static RequestSpecification bearer(String username, String password) {
        return RestAssured.given().auth().oauth2(KeycloakTestResource.accessToken(username, password))
                .contentType(ContentType.JSON);
    }

    private static void ensureDepartment(String code, String name) {
        int status = Api.admin().body(Map.of("code", code, "name", name)).post("/api/v1/departments").statusCode();
        if (status != 201 && status != 409) {
            throw new AssertionError("cannot create department " + code + ": " + status);
        }
    }

    @Test
    void requesterApproverAndAuditorWithRealTokens() {
        ensureDepartment("SALES1", "営業一部");
        ensureDepartment("SYS", "システム部");
        RequestSpecification takahashi = bearer("takahashi", "Takahashi-pass-1");
        String source = Api.unique("oidc-") + "@corp.example";

        String id = takahashi.body(Api.request("SALES1", "Forward via Keycloak",
                        Api.item("CREATE", "FORWARD", Map.of("source", source, "targets", List.of("takahashi@corp.example")))))
                .post("/api/v1/change-requests").then().statusCode(201)
                .body("createdBy", equalTo("takahashi"))
                .extract().path("id");

        // The department comes from the token: another department is refused.
        bearer("takahashi", "Takahashi-pass-1").body(Api.request("SYS", "not mine",
                        Api.item("CREATE", "MAILBOX", Map.of("address", Api.unique("x") + "@corp.example"))))
                .post("/api/v1/change-requests").then().statusCode(403).body("field", equalTo("department"));
        bearer("takahashi", "Takahashi-pass-1").body(Map.of("comment", "self"))
                .post("/api/v1/change-requests/{id}/approve", id).then().statusCode(403);

        bearer("shimanaka", "Shimanaka-pass-1").body(Map.of("comment", "承認します"))
                .post("/api/v1/change-requests/{id}/approve", id).then().statusCode(200)
                .body("status", equalTo("APPLYING"))
                .body("decidedBy", equalTo("shimanaka"));

        RequestSpecification kansa = bearer("kansa", "Kansa-pass-1");
        kansa.get("/api/v1/audit?object={id}", id).then().statusCode(200)
                // The push worker ("system") may already have recorded change.applied as well.
                .body("entries.actor", hasItems("takahashi", "shimanaka"))
                .body("entries.department", hasItems("SALES1", "SYS"))
                .body("entries.roles.flatten()", hasItems("requester", "approver"));
        bearer("kansa", "Kansa-pass-1").get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        bearer("kansa", "Kansa-pass-1").body(Map.of("comment", "no"))
                .post("/api/v1/change-requests/{id}/reject", id).then().statusCode(403);
    }

    @Test
    void aTicketingSystemSubmitsWithItsServiceAccountAndAnIdempotencyKey() {
        ensureDepartment("SALES1", "営業一部");
        String token = KeycloakTestResource.clientCredentialsToken("ticketing-bot", "ticketing-bot-test-secret");
        String key = "JIRA-" + Api.unique("OPS-");
        Map<String, Object> body = Map.of("department", "SALES1", "title", "From Jira", "reason", "ticket",
                "externalRef", Map.of("system", "jira", "key", key, "url", "https://jira.example.com/browse/" + key),
                "items", List.of(Api.item("CREATE", "MAILBOX", Map.of("address", Api.unique("jira") + "@corp.example"))));
        String first = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/change-requests").then().statusCode(201)
                .body("createdBy", equalTo("service-account-ticketing-bot"))
                .body("externalRef.key", equalTo(key))
                .extract().asString();
        String replay = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/change-requests").then().statusCode(201).extract().asString();
        org.junit.jupiter.api.Assertions.assertEquals(first, replay);
        bearer("shimanaka", "Shimanaka-pass-1").get("/api/v1/change-requests?externalSystem=jira&externalKey={k}", key)
                .then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aForgedTokenIsRefused() {
        RestAssured.given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.")
                .get("/api/v1/directory").then().statusCode(401).contentType("application/problem+json");
    }

    /**
     * Issue 12 (low): a token the same realm issued to another application (its aud claim does not
     * name mailgov) is refused, even for a user with the right roles.
     */
    @Test
    void aTokenIssuedToAnotherApplicationOfTheRealmIsRefused() {
        String foreign = KeycloakTestResource.accessToken("other-app", "kansa", "Kansa-pass-1");
        RestAssured.given().auth().oauth2(foreign).get("/api/v1/audit/verify").then().statusCode(401);
        bearer("kansa", "Kansa-pass-1").get("/api/v1/audit/verify").then().statusCode(200);
    }
}
