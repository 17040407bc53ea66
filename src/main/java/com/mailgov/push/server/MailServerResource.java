package com.mailgov.push.server;

import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.pipeline.DriftService;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import com.mailgov.web.Params;
import com.mailgov.web.ProblemType;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/api/v1/mail-servers")
@Tag(name = "mail-servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.ADMINISTER)
public class MailServerResource {

    @Inject
    MailServerService servers;

    @Inject
    MailServerAdmin admin;

    @Inject
    DriftService drift;

    @Inject
    PushOutbox outbox;

    @Inject
    CurrentActor actor;

    @Inject
    ServerModes modes;

    @Inject
    com.mailgov.push.pipeline.ServerMailboxes mailboxes;

    @POST
    @Operation(summary = "Register a mail server in OBSERVE mode: it is read and reported, nothing is written until its plan is confirmed")
    public Response register(MailServerService.MailServerRequest body) {
        MailServerService.MailServerView created = servers.register(actor.get(), body);
        return Response.created(URI.create("/api/v1/mail-servers/" + created.id())).entity(created).build();
    }

    @GET
    @PermissionsAllowed(Access.OVERSEE)
    @Operation(summary = "List mail servers with their last drift check (secrets are never shown, only where they live)")
    public List<MailServerService.MailServerView> list() {
        return servers.list();
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed(Access.OVERSEE)
    @Operation(summary = "One mail server")
    public MailServerService.MailServerView get(@PathParam("id") String id) {
        return servers.get(idOf(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change a mail server")
    public MailServerService.MailServerView update(@PathParam("id") String id, MailServerService.MailServerRequest body) {
        return servers.update(actor.get(), idOf(id), body);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a mail server from mailgov (nothing is deleted on the server)")
    public Response delete(@PathParam("id") String id) {
        servers.delete(actor.get(), idOf(id));
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/drift")
    @PermissionsAllowed(Access.OVERSEE)
    @Operation(summary = "Read the server back now and list where it differs from the approved state")
    public DriftService.DriftReport drift(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        long server = idOf(id);
        servers.get(server);
        try {
            return drift.check(actor.get(), server, limit == null ? 200 : Math.max(0, Math.min(limit, 10_000)));
        } catch (ConnectorException e) {
            throw new ApiException(ProblemType.SERVER_UNAVAILABLE, "Cannot read the server: " + e.getMessage());
        }
    }

    @GET
    @Path("/{id}/plan")
    @PermissionsAllowed(Access.OVERSEE)
    @Operation(summary = "Read the server now and show every write a switch to ENFORCE would make (create/update/delete per artifact, "
            + "desired and actual text), what stays unmanaged, and the planHash to confirm")
    public ServerModes.ServerPlan plan(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        long server = idOf(id);
        servers.get(server);
        try {
            return modes.plan(server, limit == null ? 200 : Math.max(0, Math.min(limit, 10_000)));
        } catch (ConnectorException e) {
            throw new ApiException(ProblemType.SERVER_UNAVAILABLE, "Cannot read the server: " + e.getMessage());
        }
    }

    @POST
    @Path("/{id}/enforce")
    @Operation(summary = "Switch to ENFORCE by confirming the plan's hash; a plan that changed since is refused (409 stale-plan). "
            + "The confirmed writes are queued as one reconcile")
    public ServerModes.ServerPlan enforce(@PathParam("id") String id, ServerModes.EnforceRequest body) {
        long server = idOf(id);
        servers.get(server);
        try {
            return modes.enforce(actor.get(), server, body);
        } catch (ConnectorException e) {
            throw new ApiException(ProblemType.SERVER_UNAVAILABLE, "Cannot read the server: " + e.getMessage());
        }
    }

    @PUT
    @Path("/{id}/mailboxes")
    @Consumes(MediaType.TEXT_PLAIN)
    @Operation(summary = "Upload the mailbox addresses of a Dovecot whose mailboxes cannot be listed over the network "
            + "(one a line; used when its option mailboxSource is list)")
    public java.util.Map<String, Integer> uploadMailboxes(@PathParam("id") String id, String body) {
        return java.util.Map.of("mailboxes", mailboxes.replaceUploaded(actor.get(), idOf(id), body));
    }

    @POST
    @Path("/{id}/observe")
    @Operation(summary = "Switch back to OBSERVE: nothing more is written to the server (pending pushes fail when they run)")
    public MailServerService.MailServerView observe(@PathParam("id") String id) {
        return modes.observe(actor.get(), idOf(id));
    }

    @POST
    @Path("/{id}/reconcile")
    @Operation(summary = "Queue a job that restores the approved state of what mailgov manages on an ENFORCE server "
            + "(202; follow it in push-jobs); unmanaged artifacts are never removed")
    public Response reconcile(@PathParam("id") String id) {
        PushOutbox.PushView job = admin.reconcile(actor.get(), idOf(id));
        return Response.accepted(job).location(URI.create("/api/v1/mail-servers/" + id + "/push-jobs")).build();
    }

    @GET
    @Path("/{id}/push-jobs")
    @PermissionsAllowed(Access.OVERSEE)
    @Operation(summary = "Recent push jobs of the server, newest first")
    public List<PushOutbox.PushView> jobs(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        long server = idOf(id);
        servers.get(server);
        return outbox.forServer(server, limit == null ? 50 : Math.max(1, Math.min(limit, 500)));
    }

    private static long idOf(String id) {
        return Params.number(id, "Mail server");
    }
}
