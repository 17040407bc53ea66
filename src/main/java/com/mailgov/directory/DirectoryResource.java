package com.mailgov.directory;

import com.mailgov.directory.csv.DirectoryCsvWriter;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import com.mailgov.web.PageLinks;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

@Path("/api/v1/directory")
@Tag(name = "directory")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.READ)
public class DirectoryResource {

    @Inject
    DirectoryService directory;

    @Inject
    CurrentActor currentActor;

    @Inject
    DirectoryCsvWriter csv;

    static final int PAGE = 1000;
    static final int MAX_PAGE = 5000;
    private static final int CSV_BATCH = 2000;

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "The current objects, a page at a time in (kind, key) order; requesters see their own department. "
            + "Pass the listing's next (or previous) as cursor for the following page; the Link header carries the same. "
            + "format=csv: every object (no paging, streamed), one row per object (UTF-8 with BOM), all of one revision, "
            + "the layout POST /api/v1/change-requests takes as text/csv")
    @APIResponse(responseCode = "200", description = "The objects",
            headers = @Header(name = "Link", description = "rel=\"next\" and rel=\"prev\": the neighbouring pages (JSON only)"),
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DirectoryService.DirectoryListing.class)),
                    @Content(mediaType = "text/csv")})
    public Response list(@QueryParam("department") String department, @QueryParam("kind") String kind,
                         @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
                         @Parameter(description = "Objects per page (JSON), 1 to " + MAX_PAGE + ", default " + PAGE)
                         @QueryParam("limit") Integer limit,
                         @Parameter(description = "next or previous of an earlier page; absent: the first page")
                         @QueryParam("cursor") String cursor,
                         @Context UriInfo uri) {
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ApiException.invalid("format", "must be json or csv");
        }
        String scope = currentActor.get().readScope(department, "the objects");
        ObjectKind k = kindOf(kind);
        if ("csv".equals(format)) {
            return csv(scope, k);
        }
        int size = Cursor.limit(limit, PAGE, MAX_PAGE);
        DirectoryService.DirectoryListing listing = directory.page(scope, k, null,
                Cursor.read(DirectoryService.PAGES_NAME, 2, cursor), size);
        return PageLinks.add(Response.ok(listing, MediaType.APPLICATION_JSON), uri, listing.next(), listing.previous()).build();
    }

    /** Every object of the revision current now, batch by batch: memory stays flat however large the directory. */
    private Response csv(String scope, ObjectKind kind) {
        long revision = directory.currentRevision();
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            csv.start(writer);
            DirectoryService.DirectoryObjectView last = null;
            while (true) {
                List<DirectoryService.DirectoryObjectView> batch = directory.batchAt(revision, scope, kind, last, CSV_BATCH);
                for (DirectoryService.DirectoryObjectView o : batch) {
                    csv.row(writer, o);
                }
                if (batch.size() < CSV_BATCH) {
                    break;
                }
                last = batch.get(batch.size() - 1);
            }
            writer.flush();
        };
        String name = "mailgov-directory-r" + revision + (scope == null ? "" : "-" + scope.replaceAll("[^A-Za-z0-9_-]", "_"));
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                .build();
    }

    @GET
    @Path("/revisions")
    @Operation(summary = "Revision history, newest first")
    public List<DirectoryService.RevisionView> revisions(@QueryParam("limit") Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        return directory.revisions(size);
    }

    static ObjectKind kindOf(String kind) {
        return com.mailgov.web.Params.optional(ObjectKind.class, "kind", kind);
    }
}
