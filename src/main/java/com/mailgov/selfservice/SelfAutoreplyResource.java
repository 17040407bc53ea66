package com.mailgov.selfservice;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.selfservice.SelfAutoreplyDtos.Absence;
import com.mailgov.selfservice.SelfAutoreplyDtos.SelfAutoreplyView;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in employee's own autoreply; no path or field reaches another mailbox. */
@Path("/api/v1/me/autoreply")
@Tag(name = "self-service")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.OWN_AUTOREPLY)
public class SelfAutoreplyResource {

    @Inject
    SelfAutoreplyService service;

    @Inject
    CurrentActor actor;

    @GET
    @Operation(summary = "Your own autoreply, the reply as senders get it, and whether it is pushed and active",
            description = "Your mailbox is the one at your account's mail address; a mailbox parameter naming another is refused (403).")
    public SelfAutoreplyView get(@QueryParam("mailbox") String mailbox) {
        return service.get(mailbox);
    }

    @PUT
    @Operation(summary = "Set or change your own autoreply",
            description = "Submitted as a change request of your mailbox's department. A clean one (end date, period and "
                    + "interval within the standard change class, no WARN/BLOCK finding) is approved by the policy and "
                    + "pushed at once; otherwise it waits for an approver (lastRequest.status SUBMITTED).")
    public SelfAutoreplyView put(Absence absence) {
        return service.save(actor.get(), absence);
    }

    @DELETE
    @Operation(summary = "Take your own autoreply off")
    public SelfAutoreplyView delete(@QueryParam("mailbox") String mailbox) {
        return service.remove(actor.get(), mailbox);
    }
}
