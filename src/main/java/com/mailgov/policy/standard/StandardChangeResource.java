package com.mailgov.policy.standard;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/policies/standard-changes")
@Tag(name = "policies")
@Produces(MediaType.APPLICATION_JSON)
public class StandardChangeResource {

    @Inject
    StandardChanges standardChanges;

    @Inject
    CurrentActor actor;

    @GET
    @PermissionsAllowed(Access.REVIEW)
    @Operation(summary = "Standard change classes: what the policy approves by itself, and whether each is in force")
    public List<StandardChanges.StandardChangeView> list() {
        return standardChanges.list();
    }

    @POST
    @Path("/{id}/revoke")
    @PermissionsAllowed(Access.ADMINISTER)
    @Operation(summary = "Revoke a standard change class: its requests wait for an approver again (new policy version, audited)")
    public StandardChanges.StandardChangeView revoke(@PathParam("id") String id) {
        return standardChanges.revoke(actor.get(), id);
    }

    @POST
    @Path("/{id}/reinstate")
    @PermissionsAllowed(Access.ADMINISTER)
    @Operation(summary = "Put a revoked standard change class back in force (new policy version, audited)")
    public StandardChanges.StandardChangeView reinstate(@PathParam("id") String id) {
        return standardChanges.reinstate(actor.get(), id);
    }
}
