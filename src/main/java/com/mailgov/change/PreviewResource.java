package com.mailgov.change;

import com.mailgov.security.CurrentActor;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/api/v1/change-requests/{id}/preview")
@Tag(name = "change-requests")
@Produces(MediaType.APPLICATION_JSON)
public class PreviewResource {

    @Inject
    PreviewService previews;

    @Inject
    CurrentActor actor;

    @GET
    @RolesAllowed({Roles.REQUESTER, Roles.APPROVER, Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The exact artifacts each mail server would receive (map lines, Sieve scripts), before approval")
    public PreviewService.Preview preview(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Change request " + (id.length() > 64 ? id.substring(0, 64) : id));
        }
        return previews.preview(actor.get(), uuid);
    }
}
