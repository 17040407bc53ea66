package com.mailgov.ui;

import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.pipeline.DriftService;
import com.mailgov.push.server.MailServerAdmin;
import com.mailgov.push.server.MailServerService;
import com.mailgov.push.server.ServerModes;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

/** Mail servers: mode, last drift check, a drift check on demand, the plan and its confirmation, and reconcile. */
@Path("/servers")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.OVERSEE)
public class ServersPage {

    static final int DIFFERENCES_SHOWN = 50;
    static final int PLAN_UNMANAGED_SHOWN = 200;

    @Inject
    UiContext ui;

    @Inject
    MailServerService servers;

    @Inject
    MailServerAdmin admin;

    @Inject
    DriftService drift;

    @Inject
    ServerModes modes;

    /** {@code check} reads that server back now and lists how it differs from the approved state. */
    @GET
    public Response list(@QueryParam("check") Long check, @QueryParam("queued") Long queued, @QueryParam("enforced") Long enforced) {
        DriftService.DriftReport report = null;
        UiProblem problem = null;
        if (check != null) {
            try {
                servers.get(check);
                report = drift.check(ui.actor(), check, DIFFERENCES_SHOWN);
            } catch (ConnectorException e) {
                problem = UiProblem.of(new ApiException(ProblemType.SERVER_UNAVAILABLE, "Cannot read the server: " + e.getMessage()));
            } catch (ApiException e) {
                problem = UiProblem.of(e);
            }
        }
        return UiResponses.page(Pages.servers(ui, servers.list(), report, queued, enforced, problem), ui, problem);
    }

    @POST
    @Path("/{id}/reconcile")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.ADMINISTER)
    public Response reconcile(@PathParam("id") long id) {
        try {
            admin.reconcile(ui.actor(), id);
            return UiResponses.seeOther("/servers?queued=" + id);
        } catch (ApiException e) {
            UiProblem problem = UiProblem.of(e);
            return UiResponses.page(Pages.servers(ui, servers.list(), null, null, null, problem), ui, problem);
        }
    }

    /** Every write a switch to ENFORCE would make, what stays unmanaged, and (admins) the confirm button. */
    @GET
    @Path("/{id}/plan")
    public Response plan(@PathParam("id") long id) {
        try {
            servers.get(id);
            return UiResponses.page(Pages.serverPlan(ui, modes.plan(id, PLAN_UNMANAGED_SHOWN), null), ui, null);
        } catch (ConnectorException e) {
            return listWith(UiProblem.of(new ApiException(ProblemType.SERVER_UNAVAILABLE, "Cannot read the server: " + e.getMessage())));
        } catch (ApiException e) {
            return listWith(UiProblem.of(e));
        }
    }

    @POST
    @Path("/{id}/enforce")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.ADMINISTER)
    public Response enforce(@PathParam("id") long id, @RestForm String planHash) {
        try {
            modes.enforce(ui.actor(), id, new ServerModes.EnforceRequest(planHash));
            return UiResponses.seeOther("/servers?enforced=" + id);
        } catch (ConnectorException e) {
            return listWith(UiProblem.of(new ApiException(ProblemType.SERVER_UNAVAILABLE, "Cannot read the server: " + e.getMessage())));
        } catch (ApiException e) {
            UiProblem problem = UiProblem.of(e);
            if (e.type() == ProblemType.STALE_PLAN) {
                // show the current plan with the reason: the admin confirms what is true now, or nothing
                try {
                    return UiResponses.page(Pages.serverPlan(ui, modes.plan(id, PLAN_UNMANAGED_SHOWN), problem), ui, problem);
                } catch (ConnectorException | ApiException again) {
                    return listWith(problem);
                }
            }
            return listWith(problem);
        }
    }

    @POST
    @Path("/{id}/observe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.ADMINISTER)
    public Response observe(@PathParam("id") long id) {
        try {
            modes.observe(ui.actor(), id);
            return UiResponses.seeOther("/servers/" + id + "/plan");
        } catch (ApiException e) {
            return listWith(UiProblem.of(e));
        }
    }

    private Response listWith(UiProblem problem) {
        return UiResponses.page(Pages.servers(ui, servers.list(), null, null, null, problem), ui, problem);
    }
}
