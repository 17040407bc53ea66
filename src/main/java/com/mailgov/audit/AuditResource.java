package com.mailgov.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

@Path("/api/v1/audit")
@Tag(name = "audit")
@PermissionsAllowed(Access.OVERSEE)
public class AuditResource {

    static final String NDJSON = "application/x-ndjson";
    private static final int EXPORT_BATCH = 1000;

    @Inject
    AuditService audit;

    @Inject
    ObjectMapper json;

    public record AuditPage(List<AuditEntryView> entries, Long nextBeforeSeq) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search the audit log, newest first")
    public AuditPage search(@QueryParam("actor") String actor, @QueryParam("object") String object,
                            @QueryParam("action") String action,
                            @QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("beforeSeq") Long beforeSeq, @QueryParam("limit") Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        List<AuditEntryView> entries = audit.search(
                new AuditService.Filter(actor, object, action, instant("from", from), instant("to", to)), beforeSeq, size);
        Long next = entries.size() == size ? entries.get(entries.size() - 1).seq() : null;
        return new AuditPage(entries, next);
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Walk the hash chain and name the first entry that does not fit")
    public AuditVerification verify() {
        return audit.verify();
    }

    @GET
    @Path("/export")
    @Produces({NDJSON, "text/csv"})
    @Operation(summary = "Export the whole log, oldest first, as NDJSON (default) or CSV")
    public Response export(@QueryParam("format") String format) {
        boolean csv = "csv".equals(format);
        if (format != null && !csv && !"ndjson".equals(format)) {
            throw ApiException.invalid("format", "must be ndjson or csv");
        }
        StreamingOutput body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (csv) {
                // A UTF-8 BOM, so Excel on Japanese Windows reads the file as UTF-8, not Shift_JIS.
                writer.write('\uFEFF');
                writer.write(AuditCsv.HEADER);
            }
            long after = 0;
            while (true) {
                List<AuditEntry> batch = audit.batchAfter(after, EXPORT_BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                for (AuditEntry e : batch) {
                    writer.write(csv ? AuditCsv.line(e) : json.writeValueAsString(AuditEntryView.of(e)) + "\n");
                    after = e.seq;
                }
            }
            writer.flush();
        };
        String type = csv ? "text/csv; charset=UTF-8" : NDJSON;
        return Response.ok(body, type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"mailgov-audit." + (csv ? "csv" : "ndjson") + "\"")
                .build();
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 instant such as 2026-11-27T09:00:00Z");
        }
    }
}
