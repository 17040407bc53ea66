package com.mailgov.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import com.mailgov.web.PageLinks;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

    @Inject
    AuditCheckpoints checkpoints;

    @Inject
    AuditSigningKey signingKey;

    /**
     * @param next          cursor of the older entries, null on the last page
     * @param previous      cursor of the newer entries, null on the first page
     * @param nextBeforeSeq the older entries as {@code beforeSeq} (kept for clients written before cursors)
     */
    public record AuditPage(List<AuditEntryView> entries, Long nextBeforeSeq, String next, String previous) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search the audit log, newest first, a page at a time (cursor: next or previous of an earlier page)")
    @APIResponse(responseCode = "200", description = "One page of entries",
            headers = @Header(name = "Link", description = "rel=\"next\" (older) and rel=\"prev\" (newer), absent at the ends"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditPage.class)))
    public Response search(@QueryParam("actor") String actor, @QueryParam("object") String object,
                           @QueryParam("action") String action,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("beforeSeq") Long beforeSeq, @QueryParam("limit") Integer limit,
                           @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        int size = Cursor.limit(limit, 100, 1000);
        Cursor position = Cursor.read(AuditService.PAGES_NAME, 1, cursor);
        if (position == null && beforeSeq != null) {
            position = Cursor.after(AuditService.PAGES_NAME, beforeSeq.toString());
        }
        Cursor.Page<AuditEntryView> page = audit.page(
                new AuditService.Filter(actor, object, action, instant("from", from), instant("to", to)), position, size);
        String next = page.nextToken(AuditService.PAGES_NAME, AuditResource::position);
        String previous = page.previousToken(AuditService.PAGES_NAME, AuditResource::position);
        AuditPage body = new AuditPage(page.items(), page.next() == null ? null : page.next().seq(), next, previous);
        return PageLinks.add(Response.ok(body, MediaType.APPLICATION_JSON), uri, next, previous).build();
    }

    static String[] position(AuditEntryView e) {
        return new String[]{Long.toString(e.seq())};
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Walk the hash chain, name the first entry that does not fit, and compare it with the stored checkpoints")
    public AuditVerification verify() {
        return audit.verify(List.of());
    }

    /** Checkpoints copied out of the log or received by a webhook receiver, to compare the chain with. */
    public record AuditVerifyRequest(List<AuditCheckpoint.CheckpointView> checkpoints) {
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the chain against signed checkpoints kept outside the database (from the log or webhooks):"
            + " reports a chain cut short or rewritten; a checkpoint whose signature does not verify is refused")
    public AuditVerification verifyAgainst(AuditVerifyRequest body) {
        if (body == null || body.checkpoints() == null) {
            throw ApiException.invalid("checkpoints", "is required (a list of checkpoints as GET /api/v1/audit/checkpoints shows them)");
        }
        if (body.checkpoints().size() > 10_000) {
            throw ApiException.invalid("checkpoints", "at most 10000 per request");
        }
        return audit.verify(body.checkpoints());
    }

    public record CheckpointPage(List<AuditCheckpoint.CheckpointView> checkpoints, Long nextBeforeSeq) {
    }

    @GET
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Signed checkpoints of the chain head as stored, newest first (copies are in the log and webhooks)")
    public CheckpointPage checkpoints(@QueryParam("beforeSeq") Long beforeSeq, @QueryParam("limit") Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        List<AuditCheckpoint.CheckpointView> list = checkpoints.list(beforeSeq, size).stream().map(AuditCheckpoint::view).toList();
        return new CheckpointPage(list, list.size() == size ? list.get(list.size() - 1).seq() : null);
    }

    @POST
    @Path("/checkpoints")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign the chain head now (for instance at the end of an audit period); returns the newest checkpoint")
    public AuditCheckpoint.CheckpointView signNow() {
        return checkpoints.signNow().map(AuditCheckpoint::view)
                .orElseThrow(() -> ApiException.notFound("An audit entry to sign"));
    }

    public record CheckpointPublicKey(String algorithm, String keyId, String pem) {
    }

    @GET
    @Path("/checkpoints/public-key")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The Ed25519 public key that checks checkpoint signatures (keep a copy outside mailgov)")
    public CheckpointPublicKey publicKey() {
        return new CheckpointPublicKey(AuditSigningKey.ALGORITHM, signingKey.keyId(), signingKey.publicKeyPem());
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
