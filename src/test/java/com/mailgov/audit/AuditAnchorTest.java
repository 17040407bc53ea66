package com.mailgov.audit;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.SplitRolesDatabase;
import com.mailgov.testsupport.SplitRolesDatabase.Login;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #12 item 8 on a database set up as production should be: Flyway migrates as the owner role,
 * the service runs as an app role. The owner can still rewrite or cut the chain (its hashes
 * recomputed, the stored checkpoints removed): checkpoints kept outside the database show it.
 */
@QuarkusTest
@TestProfile(AuditAnchorTest.TwoRoles.class)
class AuditAnchorTest {

    public static class TwoRoles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No background signing: each test signs when it wants a checkpoint (POST /api/v1/audit/checkpoints).
            return Map.of("mailgov.audit.checkpoint-poll", "PT1H");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SplitRolesDatabase.class));
        }
    }

    @Test
    void theServiceRunsAsARoleThatCannotChangeOrRemoveAuditRows() throws SQLException {
        Api.department("ROLE", "権限分離");
        Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        Login app = Login.app();
        assertTrue(!app.user().equals(Login.owner().user()), "the service and Flyway use different roles");
        try (Connection c = app.connect(); Statement s = c.createStatement()) {
            // what a DBA sees: refused by privileges, before any trigger
            assertDenied(s, "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 1", "permission denied for table audit_entry");
            assertDenied(s, "DELETE FROM audit_entry WHERE seq = 1", "permission denied for table audit_entry");
            assertDenied(s, "TRUNCATE audit_entry", "permission denied for table audit_entry");
            assertDenied(s, "ALTER TABLE audit_entry DISABLE TRIGGER USER", "must be owner of table audit_entry");
            assertDenied(s, "DELETE FROM audit_checkpoint", "permission denied for table audit_checkpoint");
            assertDenied(s, "UPDATE policy_version SET created_by = 'mallory'", "permission denied for table policy_version");
            assertDenied(s, "DELETE FROM flyway_schema_history", "permission denied for table flyway_schema_history");
            assertDenied(s, "CREATE TABLE mallory (id int)", "permission denied for schema public");
        }
        // ... while it does its work: departments, users, change requests write through it
        String dept = Api.department("WORK", "業務");
        Api.user("req", dept, "requester");
        Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void aChainCutShortIsDetectedAgainstACheckpointKeptOutside() throws SQLException {
        Api.department("CUT", "切り詰め");
        Map<String, Object> kept = sign(); // e.g. the copy a log shipper took
        long seq = ((Number) kept.get("seq")).longValue();
        Api.department("LATER", "後続");
        long cutFrom = seq - 1;

        try (Connection owner = Login.owner().connect()) {
            List<Map<String, Object>> entries = rows(owner, "audit_entry", cutFrom);
            List<Map<String, Object>> stored = rows(owner, "audit_checkpoint", cutFrom);
            asOwner(owner, "DELETE FROM audit_entry WHERE seq >= " + cutFrom);
            try {
                // the stored checkpoint shows it, and the service signs nothing on top of the cut chain
                Api.admin().get("/api/v1/audit/verify").then().statusCode(200)
                        .body("valid", equalTo(false))
                        .body("checkpoints.problems.find { it.seq == " + seq + " }.kind", equalTo("truncated"));
                Api.admin().post("/api/v1/audit/checkpoints").then().statusCode(409)
                        .body("type", equalTo("urn:mailgov:problem:conflict"));
                // the owner removes the stored checkpoints too: the walk alone cannot tell, the remaining chain is consistent
                asOwner(owner, "DELETE FROM audit_checkpoint WHERE seq >= " + cutFrom);
                Api.admin().get("/api/v1/audit/verify").then().statusCode(200)
                        .body("valid", equalTo(true)).body("entries", equalTo((int) cutFrom - 1));
                // the copy kept outside does
                Api.admin().body(Map.of("checkpoints", List.of(kept))).post("/api/v1/audit/verify").then().statusCode(200)
                        .body("valid", equalTo(false))
                        .body("firstInvalid", nullValue())
                        .body("checkpoints.given", equalTo(1))
                        .body("checkpoints.problems[0].seq", equalTo((int) seq))
                        .body("checkpoints.problems[0].source", equalTo("given"))
                        .body("checkpoints.problems[0].kind", equalTo("truncated"));
            } finally {
                asOwner(owner, "DELETE FROM audit_checkpoint WHERE seq >= " + cutFrom);
                insert(owner, "audit_entry", entries);
                insert(owner, "audit_checkpoint", stored);
            }
        }
        Api.admin().body(Map.of("checkpoints", List.of(kept))).post("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("checkpoints.problems.size()", equalTo(0));
    }

    @Test
    void aRewriteWithRecomputedHashesIsDetectedAgainstACheckpoint() throws SQLException {
        String code = Api.department("REWRITE", "書き換え前");
        Api.department("NEXT", "次");
        Map<String, Object> kept = sign();
        long head = ((Number) kept.get("seq")).longValue();
        long target = head - 1; // the first department's entry

        try (Connection owner = Login.owner().connect()) {
            List<Map<String, Object>> original = rows(owner, "audit_entry", target);
            List<Map<String, Object>> stored = rows(owner, "audit_checkpoint", target);
            rewrite(owner, target, "{\"code\": \"" + code + "\", \"name\": \"書き換え後\"}");
            try {
                // the walk passes (hashes recomputed), the stored checkpoint does not
                Api.admin().get("/api/v1/audit/verify").then().statusCode(200)
                        .body("valid", equalTo(false))
                        .body("firstInvalid", nullValue())
                        .body("checkpoints.problems.find { it.seq == " + head + " }.source", equalTo("stored"))
                        .body("checkpoints.problems.find { it.seq == " + head + " }.kind", equalTo("rewritten"));
                // the owner removes the stored checkpoints too: only the copy outside shows it
                asOwner(owner, "DELETE FROM audit_checkpoint WHERE seq >= " + target);
                Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
                Api.admin().body(Map.of("checkpoints", List.of(kept))).post("/api/v1/audit/verify").then().statusCode(200)
                        .body("valid", equalTo(false))
                        .body("checkpoints.problems[0].seq", equalTo((int) head))
                        .body("checkpoints.problems[0].kind", equalTo("rewritten"));
            } finally {
                asOwner(owner, "DELETE FROM audit_entry WHERE seq >= " + target, "DELETE FROM audit_checkpoint WHERE seq >= " + target);
                insert(owner, "audit_entry", original);
                insert(owner, "audit_checkpoint", stored);
            }
        }
        Api.admin().body(Map.of("checkpoints", List.of(kept))).post("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    @Test
    void aForgedCheckpointIsRefused() throws Exception {
        Api.department("FORGE", "偽造");
        Map<String, Object> genuine = sign();
        String otherHead = Api.admin().get("/api/v1/audit?limit=2").then().extract().path("entries[1].hash");

        // the database owner's wish: the signed head moved to another entry
        Map<String, Object> moved = new HashMap<>(genuine);
        moved.put("headHash", otherHead);
        // ... or signed with a key of their own, under the service's key id
        Map<String, Object> ownKey = new HashMap<>(genuine);
        ownKey.put("signature", signWithNewKey(new AuditCheckpoint(((Number) genuine.get("seq")).longValue(),
                otherHead, java.time.Instant.parse((String) genuine.get("signedAt")), (String) genuine.get("keyId"), null).statement()));

        for (Map<String, Object> forged : List.of(moved, ownKey)) {
            Api.admin().body(Map.of("checkpoints", List.of(genuine, forged))).post("/api/v1/audit/verify").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:mailgov:problem:checkpoint-signature-invalid"))
                    .body("errors[0].field", equalTo("checkpoints[1].signature"));
        }
        Api.admin().body(Map.of("checkpoints", List.of(Map.of("seq", 1, "headHash", "nothex")))).post("/api/v1/audit/verify").then()
                .statusCode(400).body("type", equalTo("urn:mailgov:problem:validation-failed"))
                .body("errors[0].field", equalTo("checkpoints[0].headHash"));
    }

    @Test
    void anAuditorChecksACheckpointOfflineWithOpensslAndThePublicKey() throws Exception {
        String auditor = Api.user("kansa", null, "auditor");
        Api.department("OFFLINE", "オフライン検証");
        Map<String, Object> checkpoint = sign();
        JsonPath key = Api.as(auditor).get("/api/v1/audit/checkpoints/public-key").then().statusCode(200)
                .body("algorithm", equalTo("Ed25519")).body("keyId", equalTo(checkpoint.get("keyId"))).extract().jsonPath();
        // the recipe of docs/security.md: the statement is rebuilt from the log line's fields
        String statement = "mailgov-audit-checkpoint v1 seq=" + checkpoint.get("seq") + " head=" + checkpoint.get("headHash")
                + " at=" + checkpoint.get("signedAt") + " key=" + checkpoint.get("keyId");
        assertEquals(statement, checkpoint.get("statement"));
        Path dir = Files.createTempDirectory("mailgov-offline");
        Files.writeString(dir.resolve("audit-public.pem"), key.getString("pem"), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("statement.txt"), statement, StandardCharsets.UTF_8);
        Files.write(dir.resolve("sig.bin"), Base64.getDecoder().decode((String) checkpoint.get("signature")));
        assertEquals("Signature Verified Successfully", openssl(dir, "statement.txt"));
        Files.writeString(dir.resolve("other.txt"), statement.replace("seq=", "seq=1"), StandardCharsets.UTF_8);
        assertEquals("Signature Verification Failure", openssl(dir, "other.txt"));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Map<String, Object> sign() {
        return Api.admin().post("/api/v1/audit/checkpoints").then().statusCode(200).extract().jsonPath().getMap("");
    }

    private static String openssl(Path dir, String file) throws Exception {
        Process p = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "audit-public.pem", "-rawin",
                "-in", file, "-sigfile", "sig.bin").directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    }

    private static String signWithNewKey(String statement) throws Exception {
        PrivateKey key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(statement.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    /** What the owner of the tables can do: switch the append-only triggers off for a moment. */
    private static void asOwner(Connection owner, String... statements) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER");
            s.execute("ALTER TABLE audit_checkpoint DISABLE TRIGGER USER");
            try {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } finally {
                s.execute("ALTER TABLE audit_entry ENABLE TRIGGER USER");
                s.execute("ALTER TABLE audit_checkpoint ENABLE TRIGGER USER");
            }
        }
    }

    /** Changes one entry and recomputes its hash and every later one, as an owner who knows the format would. */
    private static void rewrite(Connection owner, long seq, String afterState) throws SQLException {
        asOwner(owner, "UPDATE audit_entry SET after_state = CAST('" + afterState.replace("'", "''") + "' AS jsonb) WHERE seq = " + seq);
        String prev;
        try (PreparedStatement q = owner.prepareStatement("SELECT hash FROM audit_entry WHERE seq = ?")) {
            q.setLong(1, seq - 1);
            ResultSet rs = q.executeQuery();
            rs.next();
            prev = rs.getString(1);
        }
        List<String[]> updates = new ArrayList<>();
        try (PreparedStatement q = owner.prepareStatement("""
                SELECT seq, occurred_at, actor, roles, department, source_ip, request_id, action, object_type, object_id,
                       CAST(before_state AS text), CAST(after_state AS text)
                FROM audit_entry WHERE seq >= ? ORDER BY seq""")) {
            q.setLong(1, seq);
            ResultSet rs = q.executeQuery();
            while (rs.next()) {
                AuditChain.Row row = new AuditChain.Row(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getString(10), AuditChain.recanonical(rs.getString(11)), AuditChain.recanonical(rs.getString(12)));
                String hash = AuditChain.hash(prev, row);
                updates.add(new String[]{Long.toString(row.seq()), prev, hash});
                prev = hash;
            }
        }
        List<String> sql = new ArrayList<>();
        for (String[] u : updates) {
            sql.add("UPDATE audit_entry SET prev_hash = '" + u[1] + "', hash = '" + u[2] + "' WHERE seq = " + u[0]);
        }
        asOwner(owner, sql.toArray(String[]::new));
    }

    /** Rows as text (jsonb as its text), to put back exactly. */
    private static List<Map<String, Object>> rows(Connection c, String table, long fromSeq) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT * FROM " + table + " WHERE seq >= ? ORDER BY seq")) {
            q.setLong(1, fromSeq);
            ResultSet rs = q.executeQuery();
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static void insert(Connection c, String table, List<Map<String, Object>> rows) throws SQLException {
        for (Map<String, Object> row : rows) {
            String columns = String.join(", ", row.keySet());
            // each column from its text, cast to the column's type
            StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (" + columns + ") VALUES (");
            int n = 0;
            for (String k : row.keySet()) {
                sql.append(n++ == 0 ? "" : ", ").append("CAST(CAST(? AS text) AS ").append(type(c, table, k)).append(')');
            }
            try (PreparedStatement i = c.prepareStatement(sql.append(')').toString())) {
                int p = 1;
                for (Object v : row.values()) {
                    i.setString(p++, (String) v);
                }
                i.executeUpdate();
            }
        }
    }

    private static String type(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = CAST(? AS regclass) AND attname = ?")) {
            q.setString(1, table);
            q.setString(2, column);
            ResultSet rs = q.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertDenied(Statement s, String sql, String message) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertTrue(e.getMessage().contains(message), sql + ": " + e.getMessage());
    }
}
