package com.mailgov.change;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.Params;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Bring back revision n" belongs to change requests: it only creates them. */
@Path("/api/v1/directory/revisions/{number}/restore")
@Tag(name = "directory")
@Produces(MediaType.APPLICATION_JSON)
public class RevisionRestoreResource {

    @Inject
    RevisionRestoreService restore;

    @Inject
    CurrentActor currentActor;

    @POST
    @PermissionsAllowed(Access.RESTORE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create change requests (one per department) that bring back revision n; they are checked and approved like any other")
    public Response restore(@PathParam("number") String number, RevisionRestoreService.RestoreRequest body) {
        long revision = Params.number(number, "Revision");
        return Response.status(201).entity(restore.restore(currentActor.get(), revision, body)).build();
    }
}
