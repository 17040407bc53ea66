package com.mailgov.guard.incident;

import com.mailgov.security.Access;
import com.mailgov.security.Actor;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/** Loop incidents found on the mail path; the emergency stop and its review. */
@Path("/api/v1/loop-incidents")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.REVIEW)
@Tag(name = "loop-incidents")
public class LoopIncidentResource {

    private static final Set<String> STATUSES = Set.of("OPEN", "STOPPED", "CLOSED");

    @Inject
    IncidentService incidents;

    @Inject
    EmergencyStop emergencyStop;

    @Inject
    CurrentActor current;

    public record ReviewRequest(String note) {
    }

    @GET
    @Operation(summary = "Loop incidents the guard found on the mail path, newest first (status OPEN, STOPPED or CLOSED)")
    public List<LoopIncidentView> list(@QueryParam("status") String status, @QueryParam("limit") Integer limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "must be one of OPEN, STOPPED, CLOSED");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        return incidents.list(status, n);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One loop incident: cycle, edges with rates, correlated directory objects, every held or deferred message")
    public LoopIncidentView get(@PathParam("id") long id) {
        return incidents.get(id);
    }

    /** One approver suspends the responder on the cycle now; a second person reviews afterwards. */
    @POST
    @Path("/{id}/stop")
    @PermissionsAllowed(Access.DECIDE)
    @Operation(summary = "Emergency stop: suspend the responder on the cycle now, release held messages; a second approver reviews afterwards")
    public LoopIncidentView stop(@PathParam("id") long id) {
        return emergencyStop.stop(current.get(), id);
    }

    @POST
    @Path("/{id}/review")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Access.DECIDE)
    @Operation(summary = "Four eyes after the fact: another approver confirms the emergency stop")
    public LoopIncidentView review(@PathParam("id") long id, ReviewRequest body) {
        String note = body == null ? null : body.note();
        if (note != null && (note.length() > 1000 || note.chars().anyMatch(c -> c < 0x20 && c != '\n'))) {
            throw ApiException.invalid("note", "at most 1000 characters, no control characters");
        }
        Actor actor = current.get();
        return incidents.review(actor, id, note);
    }
}
