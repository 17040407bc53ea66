package com.mailgov.change;

import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "What if I asked for this?": the findings a change request would get, without submitting it. */
@Path("/api/v1/policy/evaluate")
@Tag(name = "policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WhatIfResource {

    @Inject
    SubmissionValidator validator;

    @Inject
    ChangeEvaluation evaluation;

    @Inject
    CurrentActor actor;

    @POST
    @PermissionsAllowed(Access.WHAT_IF)
    @Operation(summary = "Evaluate a change request body against the current directory and policy; nothing is stored")
    public ChangeEvaluation.WhatIf evaluate(SubmitChangeRequest body) {
        return evaluation.whatIf(validator.validate(actor.get(), body));
    }
}
