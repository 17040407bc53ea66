package com.mailgov.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AuditChainTest {

    /** A row as verify sees it: JSON read back from jsonb is canonicalised first. */
    private static AuditChain.Row row(String after) {
        return new AuditChain.Row(7, Instant.parse("2026-11-27T09:00:00.123456Z"), "shimanaka", "approver", "SYS",
                "127.0.0.1", "req-1", "change.approved", "CHANGE_REQUEST", "id-1", null, AuditChain.recanonical(after));
    }

    @Test
    void theHashDoesNotDependOnKeyOrderOrWhiteSpaceOfStoredJson() {
        String a = AuditChain.hash(AuditChain.GENESIS, row("{\"b\": 1, \"a\": [\"x\", {\"d\": 2, \"c\": 3}]}"));
        String b = AuditChain.hash(AuditChain.GENESIS, row("{\"a\":[\"x\",{\"c\":3,\"d\":2}],\"b\":1}"));
        assertEquals(a, b);
        assertEquals(64, a.length());
    }

    @Test
    void canonicalRowsHaveSortedKeysAndEscapedText() {
        String json = AuditChain.canonical(row("{\"名前\":\"高橋 \\\"T\\\"\"}"));
        assertEquals("{\"action\":\"change.approved\",\"actor\":\"shimanaka\",\"after\":{\"名前\":\"高橋 \\\"T\\\"\"},"
                + "\"before\":null,\"department\":\"SYS\",\"objectId\":\"id-1\",\"objectType\":\"CHANGE_REQUEST\","
                + "\"occurredAtMicros\":1795770000123456,\"requestId\":\"req-1\",\"roles\":\"approver\",\"seq\":7,"
                + "\"sourceIp\":\"127.0.0.1\"}", json);
    }

    @Test
    void anyChangeOfContentOrPredecessorChangesTheHash() {
        String base = AuditChain.hash(AuditChain.GENESIS, row("{\"status\":\"APPLIED\"}"));
        assertNotEquals(base, AuditChain.hash(AuditChain.GENESIS, row("{\"status\":\"REJECTED\"}")));
        assertNotEquals(base, AuditChain.hash("1".repeat(64), row("{\"status\":\"APPLIED\"}")));
    }
}
