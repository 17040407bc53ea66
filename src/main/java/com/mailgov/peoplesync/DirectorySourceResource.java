package com.mailgov.peoplesync;

import com.mailgov.peoplesync.DirectorySourceDtos.DirectorySourceRequest;
import com.mailgov.peoplesync.DirectorySourceDtos.DirectorySourceView;
import com.mailgov.peoplesync.DirectorySourceDtos.SyncRunView;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/directory-sources")
@Tag(name = "directory-sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.ADMINISTER)
public class DirectorySourceResource {

    @Inject
    DirectorySourceService sources;

    @Inject
    PeopleSyncService sync;

    @Inject
    CurrentActor actor;

    @GET
    @Operation(summary = "Company directories (LDAP / Active Directory) people are synced from, with each one's last run")
    public List<DirectorySourceView> list() {
        return sources.list();
    }

    @POST
    @Operation(summary = "Register a directory source (audited); the bind password is a reference, never a value")
    public Response create(DirectorySourceRequest body) {
        DirectorySourceView created = sources.create(actor.get(), body);
        return Response.created(UriBuilder.fromPath("/api/v1/directory-sources/{id}").build(created.id())).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One directory source")
    public DirectorySourceView get(@PathParam("id") long id) {
        return sources.get(id);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a directory source's settings (audited)")
    public DirectorySourceView update(@PathParam("id") long id, DirectorySourceRequest body) {
        return sources.update(actor.get(), id, body);
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Remove a directory source and its run reports (audited); the requests it made stay")
    public Response delete(@PathParam("id") long id) {
        sources.delete(actor.get(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/sync")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Sync now: read the directory, submit joiners, moves and leavers as change requests, return the run's report (429 while a run is going)")
    public SyncRunView syncNow(@PathParam("id") long id) {
        return sync.sync(actor.get(), id);
    }

    @GET
    @Path("/{id}/runs")
    @Operation(summary = "The source's runs, newest first, with their reports")
    public List<SyncRunView> runs(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("20") int limit) {
        return sync.runs(id, Math.max(1, Math.min(limit, 200)));
    }

    @GET
    @Path("/{id}/runs/{run}")
    @Operation(summary = "One run's report: what was proposed, what was skipped and why")
    public SyncRunView run(@PathParam("id") long id, @PathParam("run") long run) {
        return sync.run(id, run);
    }
}
