package com.mailgov.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of hostile and broken requests. Each must get a problem document naming what was
 * wrong (never a 5xx), and afterwards the directory, the audit log and the request list are
 * exactly as before.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static String dept;
    static String otherDept;
    static String requester;
    static String approver;
    static String mailbox;
    static String foreignMailbox;

    long revision;
    long auditEntries;
    int requests;

    /** One hostile request: the raw body, what must come back, and which field it must name. */
    record Case(String name, String path, String contentType, String body, Map<String, String> headers,
                int status, String type, String field, boolean asAdmin) {

        Case(String name, String path, String contentType, String body, Map<String, String> headers,
             int status, String type, String field) {
            this(name, path, contentType, body, headers, status, type, field, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Runs on the first case: RestAssured knows the (random) test port only once a test runs. */
    void setUpOnce() {
        if (dept != null) {
            return;
        }
        dept = Api.department("HOSTILE", "営業二部");
        otherDept = Api.department("OTHER", "他部署");
        requester = Api.user("req", dept, "requester");
        approver = Api.user("appr", otherDept, "approver");
        mailbox = "box." + dept.toLowerCase() + "@corp.example";
        Api.approve(approver, Api.submit(requester, Api.request(dept, "base mailbox",
                item("CREATE", "MAILBOX", Map.of("address", mailbox))))).statusCode(200);
        // another department's mailbox, for the ownership cases (issue 12 #1)
        foreignMailbox = "boss." + otherDept.toLowerCase() + "@corp.example";
        String otherApprover = Api.user("appr2", dept, "approver");
        Api.approve(otherApprover, Api.submit(approver, Api.request(otherDept, "foreign mailbox",
                item("CREATE", "MAILBOX", Map.of("address", foreignMailbox))))).statusCode(200);
        revision = Api.revision();
        auditEntries = Api.auditEntries();
        requests = countRequests();
    }

    static Stream<Case> corpus() {
        // The department and mailbox are named when the cases run; placeholders stand in until then.
        List<Case> c = new ArrayList<>();
        String cr = "/api/v1/change-requests";
        // Broken JSON
        c.add(raw("truncated JSON", "{\"department\":", 400, "malformed-request", null));
        c.add(raw("array instead of object", "[]", 400, "malformed-request", null));
        c.add(raw("trailing garbage", "{\"department\":\"X\"} trailing", 400, "malformed-request", null));
        c.add(raw("empty body", "", 400, "validation-failed", "body"));
        c.add(raw("JSON null", "null", 400, "validation-failed", "body"));
        c.add(raw("duplicate keys", "{\"title\":\"a\",\"title\":\"b\"}", 400, "malformed-request", null));
        c.add(raw("deep nesting", "{\"items\":" + "[".repeat(2000) + "]".repeat(2000) + "}", 400, null, null));
        c.add(raw("invalid UTF-8 escape", "{\"title\":\"\\ud800\"}", 400, null, null));
        // Top-level fields
        c.add(req("unknown top-level field", m -> m.put("admin", true), 400, "validation-failed", "admin"));
        c.add(req("missing department", m -> m.remove("department"), 400, "validation-failed", "department"));
        c.add(req("unknown department", m -> m.put("department", "NOPE-DEPT_CODE"), 400, "validation-failed", "department"));
        c.add(req("another department", m -> m.put("department", "OTHER_DEPT_CODE"), 403, "forbidden", "department"));
        c.add(req("title is a number", m -> m.put("title", 5), 400, "validation-failed", "title"));
        c.add(req("title with CRLF", m -> m.put("title", "ok\r\nX-Injected: yes"), 400, "validation-failed", "title"));
        c.add(req("title with NUL", m -> m.put("title", "a\u0000b"), 400, "validation-failed", "title"));
        c.add(req("title too long", m -> m.put("title", "長".repeat(201)), 400, "validation-failed", "title"));
        c.add(req("reason missing", m -> m.remove("reason"), 400, "validation-failed", "reason"));
        c.add(req("items not an array", m -> m.put("items", Map.of()), 400, "validation-failed", "items"));
        c.add(req("items empty", m -> m.put("items", List.of()), 400, "validation-failed", "items"));
        c.add(req("too many items", m -> m.put("items", manyMailboxes(501)), 400, "validation-failed", "items"));
        c.add(req("externalRef url javascript:", m -> m.put("externalRef",
                Map.of("system", "jira", "key", "OPS-1", "url", "javascript:alert(1)")), 400, "validation-failed", "externalRef.url"));
        c.add(req("externalRef system with spaces", m -> m.put("externalRef",
                Map.of("system", "my jira", "key", "OPS-1")), 400, "validation-failed", "externalRef.system"));
        c.add(req("externalRef author with CRLF", m -> m.put("externalRef",
                Map.of("system", "jira", "key", "OPS-1", "author", "sato\r\nX-Injected: yes")), 400, "validation-failed",
                "externalRef.author"));
        // Items
        c.add(item1("wrong action", Map.of("action", "UPSERT", "kind", "MAILBOX", "spec", Map.of("address", "a@corp.example")),
                "items[0].action"));
        c.add(item1("wrong kind", Map.of("action", "CREATE", "kind", "ALIAS", "spec", Map.of()), "items[0].kind"));
        c.add(item1("spec not an object", Map.of("action", "CREATE", "kind", "MAILBOX", "spec", "a@corp.example"), "items[0].spec"));
        c.add(mailboxCase("unknown spec field", Map.of("address", "u@corp.example", "quota", 5), "items[0].spec.quota"));
        c.add(mailboxCase("address without @", Map.of("address", "nobody"), "items[0].spec.address"));
        c.add(mailboxCase("address with CRLF", Map.of("address", "a@corp.example\r\nBcc: x@evil.example"), "items[0].spec.address"));
        c.add(mailboxCase("address with two @", Map.of("address", "a@b@corp.example"), "items[0].spec.address"));
        c.add(mailboxCase("address with a space", Map.of("address", "a b@corp.example"), "items[0].spec.address"));
        c.add(mailboxCase("local part over 64 octets", Map.of("address", "a".repeat(65) + "@corp.example"), "items[0].spec.address"));
        c.add(mailboxCase("domain label over 63", Map.of("address", "a@" + "d".repeat(64) + ".corp.example"), "items[0].spec.address"));
        c.add(mailboxCase("address over 254 octets", Map.of("address", "a@" + "sub.".repeat(63) + "corp.example"), "items[0].spec.address"));
        c.add(mailboxCase("address with a pipe (key separator, pipe command)", Map.of("address", "a|b@corp.example"),
                "items[0].spec.address"));
        c.add(mailboxCase("Japanese local part", Map.of("address", "高橋@corp.example"), "items[0].spec.address"));
        c.add(mailboxCase("external mailbox", Map.of("address", "someone@partner.example"), "items[0].spec.address"));
        c.add(mailboxCase("display name with BEL", Map.of("address", "bel@corp.example", "displayName", "a\u0007b"), "items[0].spec.displayName"));
        c.add(mailboxCase("display name with RLO", Map.of("address", "rlo@corp.example", "displayName", "evil\u202Etxt.exe"), "items[0].spec.displayName"));
        c.add(kindCase("forward without targets", "FORWARD", Map.of("source", "f@corp.example", "targets", List.of()), "items[0].spec.targets"));
        c.add(kindCase("forward duplicate targets", "FORWARD",
                Map.of("source", "f@corp.example", "targets", List.of("t@corp.example", "T@corp.example")), "items[0].spec.targets[1]"));
        c.add(kindCase("forward invalid target", "FORWARD", Map.of("source", "f@corp.example", "targets", List.of("t@")), "items[0].spec.targets[0]"));
        c.add(kindCase("keepCopy as a string", "FORWARD",
                Map.of("source", "f@corp.example", "targets", List.of("t@corp.example"), "keepCopy", "yes"), "items[0].spec.keepCopy"));
        c.add(autoreply("subject header injection", Map.of("subject", "不在\r\nBcc: evil@example.com"), "items[0].spec.subject"));
        c.add(autoreply("subject with NUL", Map.of("subject", "a\u0000"), "items[0].spec.subject"));
        c.add(autoreply("body with NUL", Map.of("body", "line\u0000"), "items[0].spec.body"));
        c.add(autoreply("body too long", Map.of("body", "あ".repeat(4001)), "items[0].spec.body"));
        c.add(autoreply("negative interval", Map.of("intervalDays", -1), "items[0].spec.intervalDays"));
        c.add(autoreply("interval as a string", Map.of("intervalDays", "7"), "items[0].spec.intervalDays"));
        c.add(autoreply("fractional interval", Map.of("intervalDays", 1.5), "items[0].spec.intervalDays"));
        c.add(autoreply("interval of 1000 days", Map.of("intervalDays", 1000), "items[0].spec.intervalDays"));
        c.add(autoreply("unknown audience", Map.of("audience", "EVERYONE"), "items[0].spec.audience"));
        c.add(autoreply("invalid start date", Map.of("startsAt", "next monday"), "items[0].spec.startsAt"));
        c.add(autoreply("ends before it starts", Map.of("startsAt", "2026-12-10T00:00:00Z", "endsAt", "2026-12-01T00:00:00Z"),
                "items[0].spec.endsAt"));
        c.add(autoreply("subject with bidi override", Map.of("subject", "\u202Egnp.exe"), "items[0].spec.subject"));
        c.add(autoreply("mailbox that does not exist", Map.of("mailbox", "ghost@corp.example"), "items[0].spec.mailbox"));
        c.add(kindCase("list member update", "LIST_MEMBER", Map.of("list", "l@corp.example", "member", "m@corp.example"),
                "UPDATE", 400, "items[0].action"));
        c.add(kindCase("internal address as external list", "EXTERNAL_SUBSCRIPTION",
                Map.of("mailbox", "MAILBOX", "listAddress", "team@corp.example"), "items[0].spec.listAddress"));
        c.add(kindCase("delete a mailbox that does not exist", "MAILBOX", Map.of("address", "ghost@corp.example"),
                "DELETE", 400, "items[0].spec.address"));
        c.add(kindCase("create an existing mailbox", "MAILBOX", Map.of("address", "MAILBOX"), "CREATE", 409, "items[0].spec.address"));
        c.add(req("the same object twice", m -> m.put("items", List.of(
                item("CREATE", "MAILBOX", Map.of("address", "twice@corp.example")),
                item("CREATE", "MAILBOX", Map.of("address", "Twice@corp.example")))), 400, "validation-failed", "items[1]"));
        // Ownership across kinds (issue 12 #1): another department's address
        c.add(foreign("forward from another department's mailbox", "FORWARD",
                Map.of("source", "FOREIGN_BOX", "targets", List.of("me@corp.example"), "keepCopy", true), "items[0].spec.source"));
        c.add(foreign("subscription of another department's mailbox", "EXTERNAL_SUBSCRIPTION",
                Map.of("mailbox", "FOREIGN_BOX", "listAddress", "news@partner.example"), "items[0].spec.mailbox"));
        c.add(foreign("autoreply on another department's mailbox", "AUTOREPLY", Map.of("mailbox", "FOREIGN_BOX",
                "subject", "不在", "body", "不在です。", "intervalDays", 7, "audience", "INTERNAL"), "items[0].spec.mailbox"));
        c.add(foreign("list on another department's mailbox address", "MAILING_LIST", Map.of("address", "FOREIGN_BOX", "name", "役員"),
                "items[0].spec.address"));
        // Mail-server registrations naming the service's own secrets (issue 12 #3; as admin)
        for (String ref : List.of("env:QUARKUS_DATASOURCE_PASSWORD", "env:QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY",
                "env:MAILGOV_ADMIN_PASSWORD", "file:/proc/self/environ", "file:/etc/shadow")) {
            c.add(new Case("credentialRef " + ref, "/api/v1/mail-servers", "application/json",
                    write(Map.of("name", "leak", "kind", "MAILMAN", "endpoint", "http://127.0.0.1:1/3.1", "username", "x",
                            "credentialRef", ref)), Map.of(), 400, "validation-failed", "credentialRef", true));
        }
        // A Postfix pgsql server with a TLS mode libpq has but that may fall back to plain text (issue 12, low)
        c.add(new Case("pgsql sslmode allow", "/api/v1/mail-servers", "application/json",
                write(Map.of("name", "plain", "kind", "POSTFIX_PGSQL", "endpoint", "postgresql://db.corp.example:5432/mail",
                        "options", Map.of("sslmode", "allow"))), Map.of(), 400, "validation-failed", "options.sslmode", true));
        // The pages' unsafe requests without the CSRF token or from another site (issue 12 #2)
        String uiApprove = "/requests/00000000-0000-0000-0000-000000000000/approve";
        c.add(new Case("page approve with an empty text body", uiApprove, "text/plain", "", Map.of(), 403, "cross-site-request", null));
        c.add(new Case("page approve with a JSON body", uiApprove, "application/json", "{\"comment\":\"ok\"}", Map.of(),
                403, "cross-site-request", null));
        c.add(new Case("page approve from another site", uiApprove, "application/x-www-form-urlencoded", "comment=ok",
                Map.of("Sec-Fetch-Site", "cross-site"), 403, "cross-site-request", null));
        c.add(new Case("policy rules reset with a forged token", "/admin/policies/rules", "application/x-www-form-urlencoded",
                "csrf-token=forged", Map.of("Origin", "https://evil.example"), 403, "cross-site-request", null, true));
        // Transport
        c.add(new Case("body over the size limit", cr, "application/json",
                "{\"title\":\"" + "x".repeat(300_000) + "\"}", Map.of(), 413, "payload-too-large", null));
        c.add(new Case("text/plain body", cr, "text/plain", "hello", Map.of(), 415, "unsupported-media-type", null));
        c.add(new Case("idempotency key with spaces", cr, "application/json", validBody(), Map.of("Idempotency-Key", "a key"),
                400, "validation-failed", "Idempotency-Key"));
        c.add(new Case("approve a garbage id", cr + "/not-a-uuid/approve", "application/json", "{}", Map.of(), 403, "forbidden", null));
        c.add(new Case("approve an unknown id with an unknown field", cr + "/00000000-0000-0000-0000-000000000000/approve",
                "application/json", "{\"comment\":\"x\",\"force\":true}", Map.of(), 403, "forbidden", null));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void isRefusedWithAProblemThatNamesTheField(Case c) {
        setUpOnce();
        Response r = RestAssured.given().auth().preemptive()
                .basic(c.asAdmin() ? "admin" : requester, c.asAdmin() ? Api.ADMIN_PASSWORD : Api.PASSWORD)
                .contentType(c.contentType()).headers(c.headers()).body(c.body().replace("MAILBOX_ADDRESS", mailbox).replace("FOREIGN_BOX", foreignMailbox)
                        .replace("OTHER_DEPT_CODE", otherDept).replace("DEPT_CODE", dept))
                .post(c.path());
        String body = r.asString();
        assertTrue(r.statusCode() < 500, () -> c.name() + ": got " + r.statusCode() + " " + body);
        assertEquals(c.status(), r.statusCode(), () -> c.name() + ": " + body);
        assertTrue(r.contentType().startsWith("application/problem+json"), () -> c.name() + ": " + r.contentType());
        String type = r.jsonPath().getString("type");
        assertNotNull(type, c.name());
        assertNotNull(r.jsonPath().getString("detail"), c.name());
        if (c.type() != null) {
            assertEquals("urn:mailgov:problem:" + c.type(), type, () -> c.name() + ": " + body);
        }
        if (c.field() != null) {
            assertEquals(c.field(), r.jsonPath().getString("field"), () -> c.name() + ": " + body);
        }
    }

    @Test
    @Order(2)
    void nothingWasWritten() {
        assertEquals(revision, Api.revision());
        assertEquals(auditEntries, Api.auditEntries());
        assertEquals(requests, countRequests());
    }

    @Test
    @Order(3)
    void theCorpusHasAtLeastFiftyCases() {
        assertTrue(corpus().count() >= 50);
    }

    private int countRequests() {
        return as(approver).get("/api/v1/change-requests?department={d}&limit=500", dept).then().statusCode(200)
                .extract().jsonPath().getList("$").size();
    }

    // --- corpus builders -------------------------------------------------------------------

    private static Map<String, Object> base() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("department", "DEPT_CODE");
        m.put("title", "hostile");
        m.put("reason", "hostile input test");
        m.put("items", List.of(item("CREATE", "MAILBOX", Map.of("address", "fine@corp.example"))));
        return m;
    }

    private static String validBody() {
        return write(base());
    }

    private static Case raw(String name, String body, int status, String type, String field) {
        return new Case(name, "/api/v1/change-requests", "application/json", body, Map.of(), status, type, field);
    }

    private static Case req(String name, java.util.function.Consumer<Map<String, Object>> edit, int status, String type, String field) {
        Map<String, Object> m = base();
        edit.accept(m);
        return raw(name, write(m), status, type, field);
    }

    private static Case item1(String name, Map<String, Object> item, String field) {
        return req(name, m -> m.put("items", List.of(item)), 400, "validation-failed", field);
    }

    private static Case mailboxCase(String name, Map<String, Object> spec, String field) {
        return kindCase(name, "MAILBOX", spec, field);
    }

    private static Case kindCase(String name, String kind, Map<String, Object> spec, String field) {
        return kindCase(name, kind, spec, "CREATE", 400, field);
    }

    private static Case kindCase(String name, String kind, Map<String, Object> spec, String action, int status, String field) {
        Map<String, Object> s = new HashMap<>(spec);
        s.replaceAll((k, v) -> "MAILBOX".equals(v) ? "MAILBOX_ADDRESS" : v);
        return req(name, m -> m.put("items", List.of(item(action, kind, s))), status,
                status == 409 ? "conflict" : "validation-failed", field);
    }

    private static Case foreign(String name, String kind, Map<String, Object> spec, String field) {
        return req(name, m -> m.put("items", List.of(item("CREATE", kind, spec))), 403, "forbidden", field);
    }

    private static Case autoreply(String name, Map<String, Object> override, String field) {
        Map<String, Object> spec = new HashMap<>(Map.of("mailbox", "MAILBOX_ADDRESS", "subject", "不在のお知らせ",
                "body", "12月1日まで不在です。", "intervalDays", 7, "audience", "INTERNAL"));
        spec.putAll(override);
        return req(name, m -> m.put("items", List.of(item("CREATE", "AUTOREPLY", spec))), 400, "validation-failed", field);
    }

    private static List<Map<String, Object>> manyMailboxes(int n) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(item("CREATE", "MAILBOX", Map.of("address", "m" + i + "@corp.example")));
        }
        return items;
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
