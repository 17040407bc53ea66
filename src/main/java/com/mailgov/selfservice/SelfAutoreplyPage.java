package com.mailgov.selfservice;

import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.security.Access;
import com.mailgov.selfservice.SelfAutoreplyDtos.Absence;
import com.mailgov.selfservice.SelfAutoreplyDtos.SelfAutoreplyView;
import com.mailgov.ui.UiContext;
import com.mailgov.ui.UiProblem;
import com.mailgov.web.ApiException;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The employee's one page: their own autoreply with its state on the servers, the reply as
 * senders get it, and a form to set, change or turn it off. Times are typed and shown in the
 * viewer's time zone.
 */
@Path("/me/autoreply")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.OWN_AUTOREPLY)
public class SelfAutoreplyPage {

    @Inject
    UiContext ui;

    @Inject
    SelfAutoreplyService service;

    @GET
    public Response page(@QueryParam("mailbox") String mailbox, @QueryParam("done") String done) {
        try {
            SelfAutoreplyView view = service.get(mailbox);
            String saved = "saved".equals(done) || "removed".equals(done) ? done : null;
            return render(view, AbsenceForm.of(view, ui.zone()), null, saved);
        } catch (ApiException e) {
            return render(null, null, UiProblem.of(e), null);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@BeanParam AbsenceForm form) {
        try {
            service.save(ui.actor(), absence(form));
            return seeOther("saved");
        } catch (ApiException e) {
            return refused(form, e);
        }
    }

    @POST
    @Path("/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@BeanParam AbsenceForm form) {
        try {
            service.remove(ui.actor(), form.mailbox);
            return seeOther("removed");
        } catch (ApiException e) {
            return refused(form, e);
        }
    }

    private Response refused(AbsenceForm form, ApiException e) {
        UiProblem problem = UiProblem.of(e);
        if (e.type() == ProblemType.FORBIDDEN) {
            return render(null, null, problem, null);
        }
        SelfAutoreplyView view = service.get(null);
        return render(view, form, problem, null);
    }

    /** Form fields to the API's absence; times typed in the viewer's zone. All bad fields at once. */
    private Absence absence(AbsenceForm form) {
        List<Problem.FieldError> errors = new ArrayList<>();
        OffsetDateTime starts = time(form.startsAt, "startsAt", errors);
        OffsetDateTime ends = time(form.endsAt, "endsAt", errors);
        Integer interval = null;
        if (form.intervalDays != null && !form.intervalDays.isBlank()) {
            try {
                interval = Integer.parseInt(form.intervalDays.trim());
            } catch (NumberFormatException e) {
                errors.add(new Problem.FieldError("intervalDays", "must be a whole number of days"));
            }
        }
        AutoreplySpec.Audience audience = null;
        if (form.audience != null && !form.audience.isBlank()) {
            try {
                audience = AutoreplySpec.Audience.valueOf(form.audience);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("audience", "must be INTERNAL or ALL"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Absence(form.mailbox, form.subject, form.body, starts, ends, audience, interval);
    }

    private OffsetDateTime time(String value, String field, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(value.trim());
            return local.atZone(ui.zone()).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "must be a date and time"));
            return null;
        }
    }

    private Response render(SelfAutoreplyView view, AbsenceForm form, UiProblem problem, String saved) {
        TemplateInstance page = SelfPages.autoreply(ui, view, form, problem, FieldTexts.of(problem, ui.lang()),
                view == null ? "" : state(view), saved).setLocale(ui.locale());
        int status = problem == null ? 200 : problem.status();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    /** Where the autoreply stands, as one word the page turns into a sentence. */
    static String state(SelfAutoreplyView view) {
        if (view.lastRequest() != null) {
            ChangeStatus status = view.lastRequest().status();
            if (status == ChangeStatus.SUBMITTED) {
                return "waiting";
            }
            if (status == ChangeStatus.APPROVED || status == ChangeStatus.APPLYING) {
                return "applying";
            }
            if (status == ChangeStatus.FAILED) {
                return "failed";
            }
        }
        if (view.autoreply() == null) {
            return "none";
        }
        if (view.active()) {
            return "active";
        }
        Instant starts = view.autoreply().startsAt();
        return starts != null && Instant.now().isBefore(starts) ? "pushed-waiting" : "pushed-ended";
    }

    private static Response seeOther(String done) {
        return Response.seeOther(URI.create("/me/autoreply?done=" + done)).build();
    }
}
