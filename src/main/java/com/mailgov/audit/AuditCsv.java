package com.mailgov.audit;

/** RFC 4180 CSV lines of audit entries. */
final class AuditCsv {

    static final String HEADER = "seq,occurred_at,actor,roles,department,source_ip,request_id,action,"
            + "object_type,object_id,before,after,prev_hash,hash\r\n";

    private AuditCsv() {
    }

    static String line(AuditEntry e) {
        return String.join(",", String.valueOf(e.seq), e.occurredAt.toString(), q(e.actor), q(e.roles),
                q(e.department), q(e.sourceIp), q(e.requestId), q(e.action), q(e.objectType), q(e.objectId),
                q(e.beforeState), q(e.afterState), e.prevHash, e.hash) + "\r\n";
    }

    private static String q(String value) {
        if (value == null) {
            return "";
        }
        // A leading =,+,-,@ would run as a formula in a spreadsheet.
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
