package com.mailgov.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeRequestDtos.ExternalRef;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.directory.DepartmentService;
import com.mailgov.directory.ObjectKind;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.List;

/**
 * Submitting a change request from a form. The page only turns fields into the API's items; the
 * service validates and evaluates them, and its problems are shown next to the fields.
 */
@Path("/submit")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.SUBMIT)
public class SubmitPage {

    @Inject
    UiContext ui;

    @Inject
    ChangeRequestService changes;

    @Inject
    DepartmentService departments;

    @Inject
    ObjectMapper json;

    @GET
    public Response form() {
        return UiResponses.page(Pages.submit(ui, SubmitForm.empty(ui.department()), departments.list(), null), ui);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@BeanParam SubmitForm form) {
        try {
            SubmitChangeRequest body = new SubmitChangeRequest(UiResponses.blankToNull(form.department), form.title,
                    form.reason, ticket(form.ticket), items(form));
            return UiResponses.seeOther("/requests/" + changes.submit(ui.actor(), body, null).id());
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            return UiResponses.page(Pages.submit(ui, form, departments.list(), problem), ui, problem);
        }
    }

    /** A ticket reference typed as "KEY" or "system:KEY" (default system "ticket"). */
    private static ExternalRef ticket(String ticket) {
        String t = UiResponses.blankToNull(ticket);
        if (t == null) {
            return null;
        }
        int colon = t.indexOf(':');
        return colon > 0 ? new ExternalRef(t.substring(0, colon), t.substring(colon + 1), null, null) : new ExternalRef("ticket", t, null, null);
    }

    private List<ItemRequest> items(SubmitForm form) {
        String kind = form.kind == null ? "" : form.kind;
        switch (kind) {
            case "AUTOREPLY":
                return List.of(new ItemRequest(action(form.action), ObjectKind.AUTOREPLY, autoreply(form)));
            case "FORWARD":
                return List.of(new ItemRequest(action(form.action), ObjectKind.FORWARD, forward(form)));
            case "JSON":
                return jsonItems(form.items);
            default:
                throw ApiException.invalid("kind", "must be AUTOREPLY, FORWARD or JSON");
        }
    }

    private static ChangeAction action(String action) {
        return com.mailgov.web.Params.required(ChangeAction.class, "action", action);
    }

    private ObjectNode autoreply(SubmitForm form) {
        ObjectNode spec = json.createObjectNode();
        spec.put("mailbox", trim(form.mailbox));
        spec.put("subject", form.subject);
        spec.put("body", form.body);
        String days = UiResponses.blankToNull(form.intervalDays);
        if (days != null) {
            try {
                spec.put("intervalDays", Integer.parseInt(days));
            } catch (NumberFormatException e) {
                throw ApiException.invalid("intervalDays", "must be a whole number of days");
            }
        }
        spec.put("audience", UiResponses.blankToNull(form.audience));
        ArrayNode addresses = list(form.addresses);
        if (!addresses.isEmpty()) {
            spec.set("addresses", addresses);
        }
        return spec;
    }

    private ObjectNode forward(SubmitForm form) {
        ObjectNode spec = json.createObjectNode();
        spec.put("source", trim(form.source));
        spec.set("targets", list(form.targets));
        spec.put("keepCopy", form.keepsCopy());
        return spec;
    }

    private List<ItemRequest> jsonItems(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid("items", "is required: a JSON array of {action, kind, spec}");
        }
        try {
            return json.readValue(text, new TypeReference<List<ItemRequest>>() {
            });
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalid("items", "is not a JSON array of {action, kind, spec}" + where);
        }
    }

    /** Addresses separated by commas, spaces or lines. */
    private ArrayNode list(String text) {
        ArrayNode array = json.createArrayNode();
        if (text != null) {
            Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(array::add);
        }
        return array;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
