package com.mailgov.directory;

import com.mailgov.security.CurrentActor;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;

@Path("/api/v1/directory")
@Tag(name = "directory")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.REQUESTER, Roles.APPROVER, Roles.ADMIN, Roles.AUDITOR})
public class DirectoryResource {

    @Inject
    DirectoryService directory;

    @Inject
    CurrentActor currentActor;

    @GET
    @Operation(summary = "The current revision and its objects; requesters see their own department")
    public DirectoryService.DirectoryListing list(@QueryParam("department") String department,
                                                  @QueryParam("kind") String kind) {
        return directory.list(currentActor.get().readScope(department, "the objects"), kindOf(kind));
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
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return ObjectKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("kind", "must be one of " + Arrays.toString(ObjectKind.values()));
        }
    }
}
