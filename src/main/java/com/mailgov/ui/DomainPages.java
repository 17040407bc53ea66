package com.mailgov.ui;

import com.mailgov.account.UserService;
import com.mailgov.directory.DepartmentService;
import com.mailgov.directory.domains.CompanyDomains;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

/** The company domains section of the Users page: add, remove, mark the directory complete. */
@Path("/admin/domains")
@Produces(MediaType.TEXT_HTML)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@PermissionsAllowed(Access.ADMINISTER)
public class DomainPages {

    @Inject
    UiContext ui;

    @Inject
    CompanyDomains domains;

    @Inject
    UserService users;

    @Inject
    DepartmentService departments;

    @POST
    public Response add(@RestForm String domain) {
        return act(() -> domains.add(ui.actor(), domain));
    }

    @POST
    @Path("/remove")
    public Response remove(@RestForm String domain) {
        return act(() -> domains.remove(ui.actor(), domain));
    }

    @POST
    @Path("/complete")
    public Response complete(@RestForm String domain, @RestForm String complete) {
        return act(() -> domains.setDirectoryComplete(ui.actor(), domain, "true".equals(complete)));
    }

    private Response act(Runnable action) {
        try {
            action.run();
            return UiResponses.seeOther("/admin/users#domains");
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            return UiResponses.page(Pages.users(ui, users.list(), departments.list(), problem, UserForm.empty(),
                    DepartmentForm.empty()), ui, problem);
        }
    }
}
