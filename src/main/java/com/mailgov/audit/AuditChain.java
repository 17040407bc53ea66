package com.mailgov.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain: {@code hash = SHA-256(prev_hash || canonical JSON of the row)}. Canonical JSON
 * has sorted keys and no white space, so the same row always hashes the same, whether it was
 * just written or read back from jsonb.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private AuditChain() {
    }

    /** The facts of one entry that the hash covers. */
    public record Row(long seq, Instant occurredAt, String actor, String roles, String department,
                      String sourceIp, String requestId, String action, String objectType, String objectId,
                      String beforeJson, String afterJson) {
    }

    public static String hash(String prevHash, Row row) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(canonical(row).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canonical(Row row) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("seq", row.seq());
        node.put("occurredAtMicros", ChronoUnit.MICROS.between(Instant.EPOCH, row.occurredAt()));
        node.put("actor", row.actor());
        node.put("roles", row.roles());
        node.put("department", row.department());
        node.put("sourceIp", row.sourceIp());
        node.put("requestId", row.requestId());
        node.put("action", row.action());
        node.put("objectType", row.objectType());
        node.put("objectId", row.objectId());
        node.set("before", parse(row.beforeJson()));
        node.set("after", parse(row.afterJson()));
        return canonicalJson(node);
    }

    /** Any JSON value written with sorted object keys and no white space. */
    public static String canonicalJson(JsonNode node) {
        try {
            return PLAIN.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return PLAIN.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit JSON is not JSON", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }
}
