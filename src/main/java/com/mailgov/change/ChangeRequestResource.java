package com.mailgov.change;

import com.mailgov.change.ChangeRequestDtos.ChangeRequestSummary;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeRequestDtos.Decision;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.csv.CsvChangeRequestReader;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import com.mailgov.web.PageLinks;
import com.mailgov.web.Params;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/change-requests")
@Tag(name = "change-requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ChangeRequestResource {

    @Inject
    ChangeRequestService service;

    @Inject
    ChangeRequestQueries queries;

    @Inject
    CurrentActor actor;

    @Inject
    CsvChangeRequestReader csvReader;

    @POST
    @PermissionsAllowed(Access.SUBMIT)
    @Operation(summary = "Submit a change request; it is evaluated against the loop-risk policies at once")
    @APIResponse(responseCode = "201", description = "Submitted, with findings",
            content = @Content(schema = @Schema(implementation = ChangeRequestView.class)))
    public Response submit(SubmitChangeRequest body,
                           @Parameter(description = "Same key and body → same response; same key, other body → 422")
                           @HeaderParam("Idempotency-Key") String idempotencyKey) {
        ChangeRequestService.Submitted result = service.submit(actor.get(), body, idempotencyKey);
        // The stored JSON is returned as is, so a replay is byte-for-byte the first response.
        return Response.status(201).location(URI.create("/api/v1/change-requests/" + result.id()))
                .type(MediaType.APPLICATION_JSON).entity(result.body()).build();
    }

    @POST
    @Consumes("text/csv")
    @PermissionsAllowed(Access.SUBMIT)
    @Operation(summary = "Submit one change request from a CSV file (the layout of GET /api/v1/directory?format=csv; "
            + "rows with an action). UTF-8 with or without BOM, or Shift_JIS; a charset parameter wins. "
            + "Problems name the line and column; nothing is stored when any row is wrong")
    @APIResponse(responseCode = "201", description = "Submitted, with findings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChangeRequestView.class)))
    public Response submitCsv(byte[] body,
                              @Parameter(description = "Department code; else the file's department column") @QueryParam("department") String department,
                              @QueryParam("title") String title,
                              @Parameter(description = "Why (required)") @QueryParam("reason") String reason,
                              @HeaderParam("Content-Type") String contentType,
                              @HeaderParam("Idempotency-Key") String idempotencyKey) {
        CsvChangeRequestReader.CsvSubmission submission = csvReader.read(body, charsetOf(contentType), department, title, reason);
        ChangeRequestService.Submitted result;
        try {
            result = service.submit(actor.get(), submission.request(), idempotencyKey);
        } catch (ApiException e) {
            throw submission.locate(e);
        }
        return Response.status(201).location(URI.create("/api/v1/change-requests/" + result.id()))
                .type(MediaType.APPLICATION_JSON).entity(result.body()).build();
    }

    private static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                return p.substring(8);
            }
        }
        return null;
    }

    static final int PAGE = 100;
    static final int MAX_PAGE = 500;

    @GET
    @PermissionsAllowed(Access.READ)
    @Operation(summary = "List change requests, a page at a time, newest first (order=oldest: the waiting ones first); "
            + "requesters see their own department. The Link header names the next and previous pages (cursor)")
    @APIResponse(responseCode = "200", description = "One page of requests",
            headers = @Header(name = "Link", description = "rel=\"next\" and rel=\"prev\": the neighbouring pages, absent at the ends"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ChangeRequestSummary.class)))
    public Response list(@QueryParam("status") String status,
                         @QueryParam("department") String department,
                         @QueryParam("externalSystem") String externalSystem,
                         @QueryParam("externalKey") String externalKey,
                         @Parameter(description = "Requests per page, 1 to " + MAX_PAGE + ", default " + PAGE)
                         @QueryParam("limit") Integer limit,
                         @Parameter(description = "newest (default) or oldest first") @QueryParam("order") String order,
                         @Parameter(description = "From a Link header of an earlier page; absent: the first page")
                         @QueryParam("cursor") String cursor,
                         @Context UriInfo uri) {
        int size = Cursor.limit(limit, PAGE, MAX_PAGE);
        if (order != null && !order.equals("newest") && !order.equals("oldest")) {
            throw ApiException.invalid("order", "must be newest or oldest");
        }
        ChangeRequestQueries.SummaryPage page = queries.page(actor.get(), new ChangeRequestQueries.ListQuery(statusOf(status),
                        department, externalSystem, externalKey, null, "oldest".equals(order)),
                Cursor.read(ChangeRequestQueries.PAGES_NAME, 2, cursor), size);
        return PageLinks.add(Response.ok(page.items()), uri, page.next(), page.previous()).build();
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed(Access.READ)
    @Operation(summary = "One change request with its items and findings")
    public ChangeRequestView get(@PathParam("id") String id) {
        return queries.get(actor.get(), idOf(id));
    }

    @POST
    @Path("/{id}/approve")
    @PermissionsAllowed(Access.DECIDE)
    @Operation(summary = "Approve (not your own): re-evaluated against the current revision, then applied")
    public ChangeRequestView approve(@PathParam("id") String id, Decision decision) {
        return service.approve(actor.get(), idOf(id), decision);
    }

    @POST
    @Path("/{id}/reject")
    @PermissionsAllowed(Access.DECIDE)
    @Operation(summary = "Reject (not your own) with a comment")
    public ChangeRequestView reject(@PathParam("id") String id, Decision decision) {
        return service.reject(actor.get(), idOf(id), decision);
    }

    @POST
    @Path("/{id}/withdraw")
    @PermissionsAllowed(Access.SUBMIT)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Withdraw your own submitted request")
    public ChangeRequestView withdraw(@PathParam("id") String id) {
        return service.withdraw(actor.get(), idOf(id));
    }

    @POST
    @Path("/{id}/retry-push")
    @PermissionsAllowed(Access.ADMINISTER)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Queue the failed pushes of a FAILED request again (after the server was fixed)")
    public ChangeRequestView retryPush(@PathParam("id") String id) {
        return service.retryPush(actor.get(), idOf(id));
    }

    private static UUID idOf(String id) {
        return Params.uuid(id, "Change request");
    }

    private static ChangeStatus statusOf(String status) {
        return Params.optional(ChangeStatus.class, "status", status);
    }
}
