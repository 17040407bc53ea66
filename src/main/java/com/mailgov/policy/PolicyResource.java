package com.mailgov.policy;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/policies")
@Tag(name = "policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    @Inject
    PolicyService policies;

    @Inject
    CurrentActor actor;

    @GET
    @PermissionsAllowed(Access.REVIEW)
    @Operation(summary = "The current policy: the document, and every rule with its parameters and effective settings")
    public PolicyService.PolicyView current() {
        return policies.current();
    }

    @GET
    @Path("/versions/{version}")
    @PermissionsAllowed(Access.REVIEW)
    @Operation(summary = "A past policy version, to explain a past decision")
    public PolicyService.PolicyView version(@PathParam("version") String version) {
        return policies.version(com.mailgov.web.Params.number(version, "Policy version"));
    }

    @PUT
    @PermissionsAllowed(Access.ADMINISTER)
    @Operation(summary = "Replace the policy document; stored as a new version and audited")
    public PolicyService.PolicyView update(PolicyDocument document) {
        return policies.update(actor.get(), document);
    }
}
