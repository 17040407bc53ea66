package com.mailgov.testsupport;

import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Talks to the running service as a given user, and sets up departments and users for a test.
 * Every test makes its own department and users (random suffixes), so tests never share data.
 */
public final class Api {

    public static final String ADMIN_PASSWORD = "test-admin-password-1";
    public static final String PASSWORD = "correct-horse-battery";

    private Api() {
    }

    public static RequestSpecification as(String username) {
        String password = "admin".equals(username) ? ADMIN_PASSWORD : PASSWORD;
        return RestAssured.given().auth().preemptive().basic(username, password).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as("admin");
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** A fresh department with the given code prefix; returns its code. */
    public static String department(String prefix, String name) {
        String code = unique(prefix);
        admin().body(Map.of("code", code, "name", name)).post("/api/v1/departments").then().statusCode(201);
        return code;
    }

    /** A fresh user with the given roles; returns the username. */
    public static String user(String prefix, String department, String... roles) {
        String username = unique(prefix).toLowerCase();
        Map<String, Object> body = new java.util.HashMap<>(Map.of("username", username, "password", PASSWORD, "roles", List.of(roles)));
        if (department != null) {
            body.put("department", department);
        }
        admin().body(body).post("/api/v1/users").then().statusCode(201);
        return username;
    }

    public static Map<String, Object> item(String action, String kind, Map<String, Object> spec) {
        return Map.of("action", action, "kind", kind, "spec", spec);
    }

    public static Map<String, Object> request(String department, String title, Map<String, Object>... items) {
        return Map.of("department", department, "title", title, "reason", "test: " + title, "items", List.of(items));
    }

    /** Submits and returns the new request's id. */
    public static String submit(String username, Map<String, Object> body) {
        return as(username).body(body).post("/api/v1/change-requests")
                .then().statusCode(201).extract().path("id");
    }

    public static ValidatableResponse approve(String username, String id) {
        return as(username).body(Map.of("comment", "ok")).post("/api/v1/change-requests/{id}/approve", id).then();
    }

    /** Polls the request until it has the status (pushes run in the background); fails after 30 s. */
    public static void awaitStatus(String username, String id, String status) {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            last = as(username).get("/api/v1/change-requests/{id}", id).then().statusCode(200).extract().path("status");
            if (status.equals(last)) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("request " + id + " is " + last + ", not " + status + " after 30 s");
    }

    public static long revision() {
        return admin().get("/api/v1/directory?kind=MAILBOX&department=none-such").then().statusCode(200)
                .extract().jsonPath().getLong("revision");
    }

    public static long auditEntries() {
        return admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true))
                .extract().jsonPath().getLong("entries");
    }

    /**
     * What an admin does to let mailgov write to a registered server: reads its plan, confirms that
     * plan's hash (ENFORCE), and waits (30 s) until the confirmed writes are done. Returns the plan.
     */
    public static io.restassured.path.json.JsonPath enforce(Object serverId) {
        io.restassured.path.json.JsonPath plan = admin().get("/api/v1/mail-servers/{id}/plan", serverId).then().statusCode(200)
                .extract().jsonPath();
        admin().body(Map.of("planHash", plan.getString("planHash"))).post("/api/v1/mail-servers/{id}/enforce", serverId)
                .then().statusCode(200).body("mode", equalTo("ENFORCE"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            int pending = admin().get("/api/v1/mail-servers/{id}", serverId).then().statusCode(200).extract().path("pendingJobs");
            if (pending == 0) {
                return plan;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("the confirmed plan of server " + serverId + " is still being written after 30 s");
    }

    /** A browser-like session for the pages: logged in through the login form, cookies kept. */
    public static CookieFilter uiSession(String username, String password) {
        CookieFilter cookies = new CookieFilter();
        RestAssured.given().filter(cookies).redirects().follow(false)
                .formParam("j_username", username).formParam("j_password", password)
                .post("/j_security_check").then().statusCode(302).header("Location", not(containsString("error")));
        return cookies;
    }
}
