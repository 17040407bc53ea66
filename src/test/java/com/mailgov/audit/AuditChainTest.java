package com.mailgov.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AuditChainTest {

    private static AuditChain.Row row(String after) {
        return new AuditChain.Row(7, Instant.parse("2026-11-27T09:00:00.123456Z"), "shimanaka", "approver", "SYS",
                "127.0.0.1", "req-1", "change.approved", "CHANGE_REQUEST", "id-1", null, after);
    }

    @Test
    void theHashDoesNotDependOnKeyOrderOrWhiteSpace() {
        String a = AuditChain.hash(AuditChain.GENESIS, row("{\"b\": 1, \"a\": [\"x\", {\"d\": 2, \"c\": 3}]}"));
        String b = AuditChain.hash(AuditChain.GENESIS, row("{\"a\":[\"x\",{\"c\":3,\"d\":2}],\"b\":1}"));
        assertEquals(a, b);
        assertEquals(64, a.length());
    }

    @Test
    void anyChangeOfContentOrPredecessorChangesTheHash() {
        String base = AuditChain.hash(AuditChain.GENESIS, row("{\"status\":\"APPLIED\"}"));
        assertNotEquals(base, AuditChain.hash(AuditChain.GENESIS, row("{\"status\":\"REJECTED\"}")));
        assertNotEquals(base, AuditChain.hash("1".repeat(64), row("{\"status\":\"APPLIED\"}")));
    }
}
