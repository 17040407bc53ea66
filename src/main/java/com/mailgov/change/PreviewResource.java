package com.mailgov.change;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.Params;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/change-requests/{id}/preview")
@Tag(name = "change-requests")
@Produces(MediaType.APPLICATION_JSON)
public class PreviewResource {

    @Inject
    PreviewService previews;

    @Inject
    CurrentActor actor;

    @GET
    @PermissionsAllowed(Access.READ)
    @Operation(summary = "The exact artifacts each mail server would receive (map lines, Sieve scripts), before approval")
    public PreviewService.Preview preview(@PathParam("id") String id) {
        return previews.preview(actor.get(), Params.uuid(id, "Change request"));
    }
}
