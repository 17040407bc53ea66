package com.mailgov.audit;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.UiSession;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit log is append-only in the database, and verify names the first row someone changed anyway. */
@QuarkusTest
class AuditChainTamperTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void updateDeleteAndTruncateAreRefusedByTheDatabase() throws SQLException {
        Api.department("AUD", "監査テスト");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertRefused(s, "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 1");
            assertRefused(s, "DELETE FROM audit_entry WHERE seq = 1");
            assertRefused(s, "TRUNCATE audit_entry");
        }
        Api.admin().get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }

    @Test
    void verifyNamesTheFirstTamperedRow() throws SQLException {
        String code = Api.department("TAMPER", "改ざんテスト");
        Api.department("AFTER", "後続");
        long seq = Api.admin().get("/api/v1/audit?object={code}", code).then().statusCode(200)
                .extract().jsonPath().getLong("entries[0].seq");
        String original = afterState(seq);
        try (Connection c = dataSource.getConnection()) {
            // An attacker with superuser rights switches the triggers off and rewrites history.
            setAfterState(c, seq, "{\"code\": \"" + code + "\", \"name\": \"書き換え\"}");
            Api.admin().get("/api/v1/audit/verify").then().statusCode(200)
                    .body("valid", equalTo(false))
                    .body("firstInvalid.seq", equalTo((int) seq))
                    .body("firstInvalid.reason", startsWith("content does not match its hash"));
            setAfterState(c, seq, original);
        }
        Api.admin().get("/api/v1/audit/verify").then().body("valid", equalTo(true));
        Api.admin().get("/api/v1/audit/export").then().statusCode(200)
                .contentType(startsWith("application/x-ndjson"))
                .body(org.hamcrest.Matchers.containsString("\"objectId\":\"" + code + "\""));
    }

    @Test
    void theAuditPageHashesOnlyNewEntriesAndTheFullVerifyStillFindsAChangedOldOne() throws SQLException {
        String auditor = Api.user("kansa", null, "auditor");
        String code = Api.department("OLDROW", "古い行");
        long oldSeq = Api.admin().get("/api/v1/audit?object={code}", code).then().extract().jsonPath().getLong("entries[0].seq");
        CookieFilter session = UiSession.login(auditor);
        long verified = Api.auditEntries(); // the full walk (API): every entry so far
        Api.department("NEWROW", "新しい行");

        // A page view hashes only the entries after the last verified one (and that one again).
        String view = UiSession.page(session, "/audit");
        assertTrue(view.contains("data-valid=\"true\""), "chain sound");
        assertTrue(view.contains("id=\"chain-incremental\"") && view.contains("no. " + verified + ","),
                "the page says it checked the entries after " + verified);
        assertTrue(java.util.regex.Pattern.compile("id=\"chain-full-at\">[^<]*<time datetime=\"").matcher(view).find(),
                "and when this server last compared the whole chain with the checkpoints (the API's walk just now)");

        String original = afterState(oldSeq);
        try (Connection c = dataSource.getConnection()) {
            setAfterState(c, oldSeq, "{\"code\": \"" + code + "\", \"name\": \"書き換え\"}");
            try {
                // A changed old entry is not rehashed by the page's check; the full walk names it, on demand ...
                assertTrue(UiSession.page(session, "/audit").contains("data-valid=\"true\""));
                String full = UiSession.page(session, "/audit?verify=full");
                assertTrue(full.contains("data-valid=\"false\"") && full.contains(Long.toString(oldSeq)), "full walk names the row");
                // ... and from then on every page view shows the broken chain, new entries or not.
                Api.department("AFTERTAMPER", "改ざん後");
                assertTrue(UiSession.page(session, "/audit").contains("data-valid=\"false\""));
            } finally {
                setAfterState(c, oldSeq, original);
            }
        }
        Api.admin().get("/api/v1/audit/verify").then().body("valid", equalTo(true));
        assertTrue(UiSession.page(session, "/audit").contains("data-valid=\"true\""));
    }

    @Test
    void auditorsReadButDoNotWrite() {
        String auditor = Api.user("kansa", null, "auditor");
        Api.as(auditor).get("/api/v1/audit?limit=5").then().statusCode(200);
        Api.as(auditor).get("/api/v1/audit/export?format=csv").then().statusCode(200).contentType(startsWith("text/csv"));
        Api.as(auditor).body(Map.of("code", "NOPE", "name", "x")).post("/api/v1/departments").then().statusCode(403);
        Api.as(auditor).body(Map.of()).post("/api/v1/change-requests").then().statusCode(403);
    }

    private static void setAfterState(Connection c, long seq, String json) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE audit_entry SET after_state = CAST(? AS jsonb) WHERE seq = ?")) {
            u.setString(1, json);
            u.setLong(2, seq);
            u.executeUpdate();
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("SET session_replication_role = origin");
            }
        }
    }

    private String afterState(long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT CAST(after_state AS text) FROM audit_entry WHERE seq = ?")) {
            q.setLong(1, seq);
            ResultSet rs = q.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertRefused(Statement s, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
    }
}
