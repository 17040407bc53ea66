package com.mailgov.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeRequestDtos.Decision;
import com.mailgov.change.ChangeRequestQueries;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.change.PreviewService;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;
import java.util.UUID;

/** One change request: its diff, findings with the loop drawn, preview, and the decision forms. */
@Path("/requests/{id}")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.READ)
public class RequestPages {

    @Inject
    UiContext ui;

    @Inject
    ChangeRequestService changes;

    @Inject
    ChangeRequestQueries queries;

    @Inject
    PreviewService previews;

    @Inject
    ObjectMapper json;

    @GET
    public Response show(@PathParam("id") String id) {
        try {
            return UiResponses.page(Pages.request(ui, model(UiResponses.id(id)), null, DecisionForm.EMPTY), ui);
        } catch (ApiException e) {
            return UiResponses.error(ui, e);
        }
    }

    @GET
    @Path("/status")
    public Response status(@PathParam("id") String id) {
        try {
            return UiResponses.page(Pages.status(ui, model(UiResponses.id(id))), ui);
        } catch (ApiException e) {
            return UiResponses.error(ui, e);
        }
    }

    @POST
    @Path("/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.DECIDE)
    public Response approve(@PathParam("id") String id, @RestForm String comment, @RestForm String overrideReason) {
        DecisionForm form = new DecisionForm(comment, overrideReason);
        return decide(id, form, uuid -> changes.approve(ui.actor(), uuid,
                new Decision(UiResponses.blankToNull(comment), UiResponses.blankToNull(overrideReason))));
    }

    @POST
    @Path("/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.DECIDE)
    public Response reject(@PathParam("id") String id, @RestForm String comment) {
        DecisionForm form = new DecisionForm(comment, "");
        return decide(id, form, uuid -> changes.reject(ui.actor(), uuid, new Decision(UiResponses.blankToNull(comment), null)));
    }

    @POST
    @Path("/withdraw")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.SUBMIT)
    public Response withdraw(@PathParam("id") String id) {
        return decide(id, DecisionForm.EMPTY, uuid -> changes.withdraw(ui.actor(), uuid));
    }

    @POST
    @Path("/retry-push")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.ADMINISTER)
    public Response retryPush(@PathParam("id") String id) {
        return decide(id, DecisionForm.EMPTY, uuid -> changes.retryPush(ui.actor(), uuid));
    }

    private Response decide(String id, DecisionForm form, java.util.function.Function<UUID, ChangeRequestView> action) {
        UUID uuid;
        try {
            uuid = UiResponses.id(id);
            action.apply(uuid);
            return UiResponses.seeOther("/requests/" + uuid);
        } catch (ApiException refused) {
            // Show the refusal (policy block, four eyes, missing reason, …) on the request page itself.
            try {
                UiProblem problem = UiProblem.of(refused);
                return UiResponses.page(Pages.request(ui, model(UiResponses.id(id)), problem, form), ui, problem);
            } catch (ApiException notVisible) {
                return UiResponses.error(ui, notVisible);
            }
        }
    }

    private RequestModel model(UUID id) {
        ChangeRequestView view = queries.get(ui.actor(), id);
        List<ItemDiff> diffs = null;
        PreviewService.Preview preview = null;
        String previewUnavailable = null;
        boolean againstCurrent = view.status() == com.mailgov.change.ChangeStatus.SUBMITTED;
        if (againstCurrent) {
            try {
                diffs = queries.plan(ui.actor(), id, (proposed, objectChanges) ->
                        objectChanges.stream().map(c -> ItemDiff.of(c, json)).toList());
                preview = previews.preview(ui.actor(), id);
            } catch (ApiException e) {
                // The request no longer fits the current directory (e.g. the object was created meanwhile).
                againstCurrent = false;
                previewUnavailable = e.getMessage();
            }
        }
        if (diffs == null) {
            diffs = view.items().stream().map(i -> ItemDiff.stored(i.kind(), i.key(), i.action().name(), i.spec(), json)).toList();
        }
        List<RequestModel.FindingView> findings = view.findings().stream()
                .map(f -> RequestModel.FindingView.of(f, ui.lang())).toList();
        return new RequestModel(view, diffs, againstCurrent, findings, preview, previewUnavailable,
                ui.username());
    }
}
