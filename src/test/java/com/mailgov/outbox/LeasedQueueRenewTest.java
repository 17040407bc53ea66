package com.mailgov.outbox;

import com.mailgov.config.MailgovConfig;
import com.mailgov.testsupport.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The push worker renews the leases of its running jobs while it records finished ones in another
 * transaction. A renewal that waited for a row being recorded deadlocked with that recording under
 * load (113 times in a 10-minute run of bench/reliability.sh); it now passes such rows over.
 */
@QuarkusTest
class LeasedQueueRenewTest {

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MailgovConfig config;

    @Test
    void aRenewalPassesOverARowAnotherTransactionHoldsInsteadOfWaitingForIt() throws Exception {
        long server = ((Number) Api.admin().body(Map.of("name", Api.unique("lease").toLowerCase(), "kind", "FILE",
                        "endpoint", Files.createTempDirectory("mailgov-lease").toString()))
                .post("/api/v1/mail-servers").then().statusCode(201).extract().path("id")).longValue();
        long held = newJob(server);
        long free = newJob(server);
        LeasedQueue queue = new LeasedQueue(em, "push_job", "server_id", "", 10, 10, config::push);
        try (Connection recording = dataSource.getConnection()) {
            recording.setAutoCommit(false);
            try (Statement s = recording.createStatement()) {
                s.execute("SELECT id FROM push_job WHERE id = " + held + " FOR NO KEY UPDATE");
            }
            CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> queue.renew(List.of(held, free))))
                    .get(5, TimeUnit.SECONDS); // it used to wait here until the recording ended
            recording.rollback();
        }
        assertNull(leaseOf(held), "the row being recorded keeps its lease");
        assertNotNull(leaseOf(free), "the other running row is renewed");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM push_job WHERE id IN (" + held + "," + free + ")");
        }
    }

    /** A pending job that is not due for an hour, so the running push worker leaves it alone. */
    private long newJob(long server) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet id = s.executeQuery("SELECT nextval('push_job_seq')")) { // a block of ids Hibernate was not given
            id.next();
            long job = id.getLong(1);
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO push_job (id, server_id, purpose, target_revision, status, attempts, next_attempt_at,
                                          created_by, created_at)
                    VALUES (?, ?, 'RECONCILE', 0, 'PENDING', 0, now() + interval '1 hour', 'test', now())""")) {
                insert.setLong(1, job);
                insert.setLong(2, server);
                insert.executeUpdate();
            }
            return job;
        }
    }

    private Object leaseOf(long job) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT lease_until FROM push_job WHERE id = " + job)) {
            rs.next();
            return rs.getObject(1);
        }
    }
}
