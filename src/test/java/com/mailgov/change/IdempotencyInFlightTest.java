package com.mailgov.change;

import com.mailgov.testsupport.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.equalTo;

/** While a request with an Idempotency-Key is still being processed, a second one with the same key gets 409. */
@QuarkusTest
class IdempotencyInFlightTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aConcurrentDuplicateIsToldToRetry() throws Exception {
        String dept = Api.department("INF", "処理中");
        String requester = Api.user("req", dept, "requester");
        String key = Api.unique("OPS-");
        Map<String, Object> body = request(dept, "in flight", item("CREATE", "MAILBOX", Map.of("address", Api.unique("f") + "@corp.example")));
        // Stand in for the first request's transaction: it holds the key's lock until it commits.
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (PreparedStatement lock = first.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, requester + "\n" + key);
                lock.execute();
            }
            as(requester).header("Idempotency-Key", key).body(body).post("/api/v1/change-requests")
                    .then().statusCode(409).body("type", equalTo("urn:mailgov:problem:idempotency-in-flight"));
            first.rollback();
        }
        as(requester).header("Idempotency-Key", key).body(body).post("/api/v1/change-requests").then().statusCode(201);
    }
}
