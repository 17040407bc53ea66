package com.mailgov.ui;

import com.mailgov.change.ChangeRequestQueries;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.DepartmentService;
import com.mailgov.policy.Severity;
import com.mailgov.security.Access;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The home page: requests waiting for a decision, oldest first, a page at a time. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.HOME)
public class QueuePage {

    /** Requests per page: every pending request is reachable however old, a page at a time. */
    static final int PAGE = 50;

    @Inject
    UiContext ui;

    @Inject
    ChangeRequestQueries changes;

    @Inject
    DepartmentService departments;

    @GET
    public Response queue(@QueryParam("department") String department, @QueryParam("status") String status,
                          @QueryParam("severity") String severity, @QueryParam("cursor") String cursor) {
        if (!ui.has(Roles.REQUESTER) && !ui.has(Roles.APPROVER) && !ui.has(Roles.ADMIN) && !ui.has(Roles.AUDITOR)) {
            return UiResponses.seeOther("/me/autoreply"); // an employee's home is their own autoreply
        }
        String dept = UiResponses.blankToNull(department);
        // No status chosen means the pending ones; "ALL" shows every status.
        String chosenStatus = status == null ? ChangeStatus.SUBMITTED.name() : status;
        try {
            ChangeStatus wanted = parse(ChangeStatus.class, "status", chosenStatus);
            Severity worst = parse(Severity.class, "severity", UiResponses.blankToNull(severity));
            ChangeRequestQueries.SummaryPage page = changes.page(ui.actor(),
                    new ChangeRequestQueries.ListQuery(wanted, dept, null, null, worst, true),
                    Cursor.read(ChangeRequestQueries.PAGES_NAME, 2, UiResponses.blankToNull(cursor)), PAGE);
            return UiResponses.page(Pages.queue(ui, new QueueModel(page.items(), changes.countByStatus(ui.actor(), dept),
                    departments.list(), dept == null ? "" : dept, chosenStatus, severity == null ? "" : severity,
                    page.next(), page.previous())), ui);
        } catch (ApiException e) {
            return UiResponses.error(ui, e);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        return "ALL".equals(value) ? null : com.mailgov.web.Params.optional(type, field, value);
    }
}
