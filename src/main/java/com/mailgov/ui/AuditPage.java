package com.mailgov.ui;

import com.mailgov.audit.AuditEntryView;
import com.mailgov.audit.AuditService;
import com.mailgov.audit.AuditVerification;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import com.mailgov.security.Access;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The audit log, filterable, with the hash chain's verification and links to the export. */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.OVERSEE)
public class AuditPage {

    static final int PAGE = 50;

    @Inject
    UiContext ui;

    @Inject
    AuditService audit;

    @GET
    public Response search(@QueryParam("actor") String actor, @QueryParam("object") String object,
                           @QueryParam("action") String action, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                           @QueryParam("verify") String verify) {
        AuditModel typed = new AuditModel(List.of(), null, null, null, null, nz(actor), nz(object), nz(action), nz(from), nz(to));
        try {
            AuditService.Filter filter = new AuditService.Filter(UiResponses.blankToNull(actor), UiResponses.blankToNull(object),
                    UiResponses.blankToNull(action), instant("from", from), instant("to", to));
            Cursor.Page<AuditEntryView> page = audit.page(filter,
                    Cursor.read(AuditService.PAGES_NAME, 1, UiResponses.blankToNull(cursor)), PAGE);
            // Each view hashes only the entries added since the last check; "verify=full" walks the whole chain.
            AuditVerification verification = "full".equals(verify) ? audit.verify(List.of()) : audit.verifyNew();
            return UiResponses.page(Pages.audit(ui, new AuditModel(page.items(),
                    page.nextToken(AuditService.PAGES_NAME, e -> new String[]{Long.toString(e.seq())}),
                    page.previousToken(AuditService.PAGES_NAME, e -> new String[]{Long.toString(e.seq())}), verification,
                    audit.lastFullVerification().orElse(null), typed.actor(), typed.object(), typed.action(), typed.from(), typed.to()), null), ui);
        } catch (ApiException e) {
            UiProblem problem = UiProblem.of(e);
            return UiResponses.page(Pages.audit(ui, typed, problem), ui, problem);
        }
    }

    /** A {@code datetime-local} value, read in the viewer's time zone. */
    private Instant instant(String field, String value) {
        String v = UiResponses.blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(v).atZone(ui.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be a date and time such as 2026-11-27T09:00");
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
