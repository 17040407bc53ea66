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

    /**
     * The row as canonical JSON. {@code beforeJson}/{@code afterJson} must already be canonical
     * ({@link #canonicalJson}); they are embedded as they are, keys in sorted order.
     */
    static String canonical(Row row) {
        try {
            StringBuilder sb = new StringBuilder(256);
            sb.append("{\"action\":").append(PLAIN.writeValueAsString(row.action()))
                    .append(",\"actor\":").append(PLAIN.writeValueAsString(row.actor()))
                    .append(",\"after\":").append(row.afterJson() == null ? "null" : row.afterJson())
                    .append(",\"before\":").append(row.beforeJson() == null ? "null" : row.beforeJson())
                    .append(",\"department\":").append(PLAIN.writeValueAsString(row.department()))
                    .append(",\"objectId\":").append(PLAIN.writeValueAsString(row.objectId()))
                    .append(",\"objectType\":").append(PLAIN.writeValueAsString(row.objectType()))
                    .append(",\"occurredAtMicros\":").append(ChronoUnit.MICROS.between(Instant.EPOCH, row.occurredAt()))
                    .append(",\"requestId\":").append(PLAIN.writeValueAsString(row.requestId()))
                    .append(",\"roles\":").append(PLAIN.writeValueAsString(row.roles()))
                    .append(",\"seq\":").append(row.seq())
                    .append(",\"sourceIp\":").append(PLAIN.writeValueAsString(row.sourceIp()))
                    .append('}');
            return sb.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Re-canonicalises JSON read back from the database (jsonb reorders keys and adds spaces). */
    public static String recanonical(String json) {
        return json == null ? null : canonicalJson(parse(json));
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
