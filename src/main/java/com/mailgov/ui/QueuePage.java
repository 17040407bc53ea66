package com.mailgov.ui;

import com.mailgov.change.ChangeRequestDtos.ChangeRequestSummary;
import com.mailgov.change.ChangeRequestQueries;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.DepartmentService;
import com.mailgov.policy.Severity;
import com.mailgov.security.Access;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The home page: requests waiting for a decision, oldest first. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.HOME)
public class QueuePage {

    /** The queue looks at this many recent requests; older ones are reached through the API's filters. */
    static final int WINDOW = 500;

    @Inject
    UiContext ui;

    @Inject
    ChangeRequestQueries changes;

    @Inject
    DepartmentService departments;

    @GET
    public Response queue(@QueryParam("department") String department, @QueryParam("status") String status,
                          @QueryParam("severity") String severity) {
        if (!ui.has(Roles.REQUESTER) && !ui.has(Roles.APPROVER) && !ui.has(Roles.ADMIN) && !ui.has(Roles.AUDITOR)) {
            return UiResponses.seeOther("/me/autoreply"); // an employee's home is their own autoreply
        }
        String dept = UiResponses.blankToNull(department);
        // No status chosen means the pending ones; "ALL" shows every status.
        String chosenStatus = status == null ? ChangeStatus.SUBMITTED.name() : status;
        try {
            ChangeStatus wanted = parse(ChangeStatus.class, "status", chosenStatus);
            Severity worst = parse(Severity.class, "severity", UiResponses.blankToNull(severity));
            List<ChangeRequestSummary> all = changes.list(ui.actor(), null, dept, null, null, WINDOW);
            Map<ChangeStatus, Long> counts = all.stream()
                    .collect(Collectors.groupingBy(ChangeRequestSummary::status, () -> new EnumMap<>(ChangeStatus.class),
                            Collectors.counting()));
            List<ChangeRequestSummary> shown = all.stream()
                    .filter(r -> wanted == null || r.status() == wanted)
                    .filter(r -> worst == null || r.highestSeverity() == worst)
                    .sorted(Comparator.comparing(ChangeRequestSummary::createdAt))
                    .toList();
            return UiResponses.page(Pages.queue(ui, new QueueModel(shown, counts, departments.list(),
                    dept == null ? "" : dept, chosenStatus, severity == null ? "" : severity)), ui);
        } catch (ApiException e) {
            return UiResponses.error(ui, e);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        return "ALL".equals(value) ? null : com.mailgov.web.Params.optional(type, field, value);
    }
}
