package com.mailgov.push;

import com.mailgov.push.pipeline.ServerSync;
import com.mailgov.testsupport.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 #7: with several replicas, a reconcile planned at revision N on one replica must not
 * write over the push of N+1 that another replica makes meanwhile. The reconcile here runs on a
 * thread of the test, as another replica's push worker would run it (this process's worker never
 * runs two jobs of one server at once, so two replicas are what makes the race); the push of N+1
 * is this service's own worker. The reconcile is held after planning by a row lock on the real
 * Postfix alias table (PostgreSQL), while N+1 is approved and pushed; then it is let go.
 */
@QuarkusTest
class ReconcileRaceTest {

    @Inject
    ServerSync sync;

    @Inject
    AgroalDataSource mailgovDb;

    private Integer server;

    @AfterEach
    void unregister() {
        if (server != null) {
            Api.admin().delete("/api/v1/mail-servers/{id}", server);
        }
        // a real server in ENFORCE retires the embedded default: the other tests of this app expect it
        Map<String, Object> file = Api.admin().get("/api/v1/mail-servers").then().extract().path("find { it.name == 'file' }");
        if (file != null && !Boolean.TRUE.equals(file.get("enabled"))) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "file", "kind", "FILE", "endpoint", file.get("endpoint"), "enabled", true));
            Api.admin().body(body).put("/api/v1/mail-servers/{id}", file.get("id")).then().statusCode(200);
        }
    }

    @Test
    void aReconcilePlannedBeforeAnApprovalDoesNotOverwriteThePushOfTheNewRevision() throws Exception {
        String dept = Api.department("RACE", "競合");
        String requester = Api.user("req", dept, "requester");
        String approver = Api.user("appr", null, "approver");
        String tag = Api.unique("race").toLowerCase();
        String held = tag + "-a@corp.example";    // written first by the reconcile (key order): held by the row lock
        String raced = tag + "-b@corp.example";   // the forward revision N+1 changes
        String before = tag + "-before@corp.example";
        String after = tag + "-after@corp.example";
        approveForward(requester, approver, dept, "CREATE", held, "sato@corp.example");
        approveForward(requester, approver, dept, "CREATE", raced, before);

        String table = "mailgov_race_" + tag.replaceAll("[^a-z0-9]", "");
        String jdbc = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String user = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres");
        try (Connection c = DriverManager.getConnection(jdbc, user, null); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (source text PRIMARY KEY, destination text NOT NULL, enabled boolean NOT NULL DEFAULT true)");
        }
        server = Api.admin().body(Map.of("name", Api.unique("race").toLowerCase(), "kind", "POSTFIX_PGSQL",
                        "endpoint", jdbc.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", ""), "username", user,
                        "options", Map.of("table", table)))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
        Api.enforce(server);
        assertEquals(before, destination(jdbc, user, table, raced));

        try (Connection alias = DriverManager.getConnection(jdbc, user, null)) {
            // Someone edits both aliases by hand, so a full reconcile has both to write back.
            try (Statement s = alias.createStatement()) {
                s.executeUpdate("UPDATE " + table + " SET destination = 'by-hand@corp.example' WHERE source IN ('" + held + "', '" + raced + "')");
            }
            alias.setAutoCommit(false);
            try (PreparedStatement lock = alias.prepareStatement("SELECT 1 FROM " + table + " WHERE source = ? FOR UPDATE")) {
                lock.setString(1, held);
                lock.executeQuery().close();
            }
            // The other replica's reconcile: plans at revision N (raced → before), reads, writes `held` first and waits there.
            CompletableFuture<ServerSync.Result> reconcile = CompletableFuture.supplyAsync(() -> {
                try {
                    return sync.sync(server, null, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitUntil(() -> waitingOnRowLock(alias), "the reconcile is writing and waits on the row lock");

            // Revision N+1, pushed by this replica's worker while the reconcile is held.
            String change = approveForward(requester, approver, dept, "UPDATE", raced, after);
            awaitUntil(() -> "APPLIED".equals(status(approver, change)) || anAdvisoryLockIsAwaited(), "the push ran or waits for the reconcile");

            alias.commit(); // let the reconcile go on
            reconcile.get(30, TimeUnit.SECONDS);
            Api.awaitStatus(approver, change, "APPLIED");
        }
        assertEquals(after, destination(jdbc, user, table, raced), "the newer revision is what the server holds");
        assertEquals("sato@corp.example", destination(jdbc, user, table, held));
    }

    private static String approveForward(String requester, String approver, String dept, String action, String source, String target) {
        String id = Api.submit(requester, request(dept, action + " " + source,
                item(action, "FORWARD", Map.of("source", source, "targets", List.of(target)))));
        Api.approve(approver, id).statusCode(200);
        return id;
    }

    private static String status(String approver, String id) {
        return as(approver).get("/api/v1/change-requests/{id}", id).then().statusCode(200).extract().path("status");
    }

    private static String destination(String jdbc, String user, String table, String source) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, user, null);
             PreparedStatement q = c.prepareStatement("SELECT destination FROM " + table + " WHERE source = ?")) {
            q.setString(1, source);
            ResultSet rs = q.executeQuery();
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Whether the connector's session (application name mailgov-push) waits for a lock held by {@code holder}. */
    private boolean waitingOnRowLock(Connection holder) throws SQLException {
        try (Connection c = mailgovDb.getConnection(); PreparedStatement q = c.prepareStatement("""
                SELECT count(*) FROM pg_stat_activity
                WHERE application_name = 'mailgov-push' AND wait_event_type = 'Lock'
                  AND ? = ANY (pg_blocking_pids(pid))""")) {
            q.setInt(1, holder.unwrap(org.postgresql.PGConnection.class).getBackendPID());
            ResultSet rs = q.executeQuery();
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    /** Whether a session of this service waits for a server's write lock. */
    private boolean anAdvisoryLockIsAwaited() throws SQLException {
        try (Connection c = mailgovDb.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
                       AND query LIKE '%pg_advisory_lock(%'""")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Condition condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
