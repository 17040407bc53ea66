package com.mailgov.directory;

import com.mailgov.directory.csv.DirectoryCsvWriter;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
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

import java.util.Arrays;
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

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "The current revision and its objects; requesters see their own department. "
            + "format=csv: one row per object (UTF-8 with BOM), the layout POST /api/v1/change-requests takes as text/csv")
    @APIResponse(responseCode = "200", description = "The objects",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DirectoryService.DirectoryListing.class)),
                    @Content(mediaType = "text/csv")})
    public Response list(@QueryParam("department") String department, @QueryParam("kind") String kind,
                         @Parameter(description = "json (default) or csv") @QueryParam("format") String format) {
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ApiException.invalid("format", "must be json or csv");
        }
        String scope = currentActor.get().readScope(department, "the objects");
        DirectoryService.DirectoryListing listing = directory.list(scope, kindOf(kind));
        if (!"csv".equals(format)) {
            return Response.ok(listing, MediaType.APPLICATION_JSON).build();
        }
        String name = "mailgov-directory-r" + listing.revision() + (scope == null ? "" : "-" + scope.replaceAll("[^A-Za-z0-9_-]", "_"));
        return Response.ok(csv.write(listing.objects()), "text/csv; charset=UTF-8")
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
