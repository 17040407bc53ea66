package com.mailgov.ui;

import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.pipeline.DriftService;
import com.mailgov.push.server.MailServerAdmin;
import com.mailgov.push.server.MailServerService;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import jakarta.annotation.security.RolesAllowed;
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

/** Mail servers: their last drift check, a drift check on demand, and reconcile. */
@Path("/servers")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
public class ServersPage {

    static final int DIFFERENCES_SHOWN = 50;

    @Inject
    UiContext ui;

    @Inject
    MailServerService servers;

    @Inject
    MailServerAdmin admin;

    @Inject
    DriftService drift;

    /** {@code check} reads that server back now and lists how it differs from the approved state. */
    @GET
    public Response list(@QueryParam("check") Long check, @QueryParam("queued") Long queued) {
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
        return UiResponses.page(Pages.servers(ui, servers.list(), report, queued, problem), ui, problem);
    }

    @POST
    @Path("/{id}/reconcile")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.ADMIN)
    public Response reconcile(@PathParam("id") long id) {
        try {
            admin.reconcile(ui.actor(), id);
            return UiResponses.seeOther("/servers?queued=" + id);
        } catch (ApiException e) {
            UiProblem problem = UiProblem.of(e);
            return UiResponses.page(Pages.servers(ui, servers.list(), null, null, problem), ui, problem);
        }
    }
}
