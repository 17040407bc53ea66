package com.mailgov.ui;

import com.mailgov.account.UserService;
import com.mailgov.directory.DepartmentService;
import com.mailgov.policy.PolicyDocument.RuleSettings;
import com.mailgov.policy.PolicyDocument;
import com.mailgov.policy.PolicyService;
import com.mailgov.policy.RuleParameter;
import com.mailgov.policy.Severity;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Administration: the policy (rules, custom CEL rules), local accounts and departments. */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.ADMINISTER)
public class AdminPages {

    @Inject
    UiContext ui;

    @Inject
    PolicyService policies;

    @Inject
    UserService users;

    @Inject
    DepartmentService departments;

    @Inject
    com.mailgov.policy.standard.StandardChanges standardChanges;

    /** Revoking a standard change class sends its requests to an approver again (a new policy version). */
    @POST
    @Path("/policies/standard-changes/{id}/{verb:revoke|reinstate}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response standardChange(@jakarta.ws.rs.PathParam("id") String id, @jakarta.ws.rs.PathParam("verb") String verb) {
        try {
            if ("revoke".equals(verb)) {
                standardChanges.revoke(ui.actor(), id);
            } else {
                standardChanges.reinstate(ui.actor(), id);
            }
            return UiResponses.seeOther("/admin/policies#standard-changes");
        } catch (ApiException refused) {
            return UiResponses.error(ui, refused);
        }
    }

    @GET
    @Path("/policies")
    public Response policy() {
        return UiResponses.page(Pages.policies(ui, policies.current(), null, CustomRuleForm.empty()), ui);
    }

    /**
     * The rule table: {@code rule} and {@code severity} come in table order, {@code enabled} names
     * the checked rules, {@code param} ("rule:name") and {@code value} come in pairs. Only what
     * differs from a rule's defaults is stored, so later default changes still reach the others.
     */
    @POST
    @Path("/policies/rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rules(@RestForm List<String> rule, @RestForm List<String> severity, @RestForm List<String> enabled,
                          @RestForm List<String> param, @RestForm List<String> value, @RestForm String version) {
        PolicyService.PolicyView current = policies.current();
        Map<String, PolicyService.RuleView> known = new LinkedHashMap<>();
        current.rules().forEach(r -> known.put(r.id(), r));
        Map<String, RuleSettings> settings = new LinkedHashMap<>();
        try {
            List<String> ids = rule == null ? List.of() : rule;
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                PolicyService.RuleView view = known.get(id);
                Severity sev = severity != null && i < severity.size() ? severityOf("rules." + id + ".severity", severity.get(i)) : null;
                boolean on = enabled != null && enabled.contains(id);
                Map<String, Integer> params = new LinkedHashMap<>();
                for (int p = 0; param != null && p < param.size(); p++) {
                    String[] ruleAndName = param.get(p).split(":", 2);
                    if (ruleAndName.length == 2 && ruleAndName[0].equals(id)) {
                        Integer v = number("rules." + id + ".parameters." + ruleAndName[1], value == null || p >= value.size() ? null : value.get(p));
                        RuleParameter def = view == null ? null : view.parameters().stream()
                                .filter(x -> x.name().equals(ruleAndName[1])).findFirst().orElse(null);
                        if (def == null || v == null || v != def.defaultValue()) {
                            params.put(ruleAndName[1], v);
                        }
                    }
                }
                Boolean enabledSetting = on ? null : Boolean.FALSE;
                Severity severitySetting = view != null && sev == view.defaultSeverity() ? null : sev;
                if (enabledSetting != null || severitySetting != null || !params.isEmpty()) {
                    settings.put(id, new RuleSettings(enabledSetting, severitySetting, params.isEmpty() ? null : params));
                }
            }
            policies.setRules(ui.actor(), shownVersion(version, current), settings);
            return UiResponses.seeOther("/admin/policies");
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            return UiResponses.page(Pages.policies(ui, current, problem, CustomRuleForm.empty()), ui, problem);
        }
    }

    @POST
    @Path("/policies/custom")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addCustom(@BeanParam CustomRuleForm form, @RestForm String version) {
        PolicyService.PolicyView current = policies.current();
        try {
            policies.addCustomRule(ui.actor(), shownVersion(version, current), new PolicyDocument.CustomRuleSpec(
                    UiResponses.blankToNull(form.id), form.expression, severityOf("severity", form.severity), form.message,
                    UiResponses.blankToNull(form.messageJa)));
            return UiResponses.seeOther("/admin/policies");
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            return UiResponses.page(Pages.policies(ui, current, problem, form), ui, problem);
        }
    }

    @POST
    @Path("/policies/custom/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteCustom(@RestForm String id, @RestForm String version) {
        PolicyService.PolicyView current = policies.current();
        try {
            policies.removeCustomRule(ui.actor(), shownVersion(version, current), id);
            return UiResponses.seeOther("/admin/policies");
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            return UiResponses.page(Pages.policies(ui, current, problem, CustomRuleForm.empty()), ui, problem);
        }
    }

    @GET
    @Path("/users")
    public Response users() {
        return UiResponses.page(Pages.users(ui, users.list(), departments.list(), null, UserForm.empty(),
                DepartmentForm.empty()), ui);
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createUser(@BeanParam UserForm form) {
        try {
            users.create(ui.actor(), UiResponses.blankToNull(form.username), form.password,
                    form.roles == null ? List.of() : form.roles, UiResponses.blankToNull(form.department));
            return UiResponses.seeOther("/admin/users");
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            form.password = null; // never echo a password into the page
            return UiResponses.page(Pages.users(ui, users.list(), departments.list(), problem, form,
                    DepartmentForm.empty()), ui, problem);
        }
    }

    @POST
    @Path("/departments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createDepartment(@BeanParam DepartmentForm form) {
        try {
            departments.create(ui.actor(), UiResponses.blankToNull(form.code), UiResponses.blankToNull(form.name));
            return UiResponses.seeOther("/admin/users#departments");
        } catch (ApiException refused) {
            UiProblem problem = UiProblem.of(refused);
            return UiResponses.page(Pages.users(ui, users.list(), departments.list(), problem, UserForm.empty(), form),
                    ui, problem);
        }
    }

    @GET
    @Path("/users/{username}")
    public Response user(@PathParam("username") String username, @QueryParam("done") String done) {
        return userPage(username, null, null, "saved".equals(done) || "password".equals(done) ? done : null);
    }

    /** The account page; {@code form} null shows the account as stored. */
    private Response userPage(String username, UiProblem problem, UserForm form, String done) {
        try {
            UserService.UserView user = users.get(username);
            return UiResponses.page(Pages.user(ui, user, departments.list(), problem, form == null ? UserForm.of(user) : form,
                    done), ui, problem);
        } catch (ApiException notFound) {
            return UiResponses.error(ui, notFound);
        }
    }

    @POST
    @Path("/users/{username}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response updateUser(@PathParam("username") String username, @BeanParam UserForm form) {
        try {
            users.update(ui.actor(), username, form.roles == null ? List.of() : form.roles,
                    UiResponses.blankToNull(form.department), form.isEnabled());
            return UiResponses.seeOther("/admin/users/" + username + "?done=saved");
        } catch (ApiException refused) {
            return userPage(username, UiProblem.of(refused), form, null);
        }
    }

    @POST
    @Path("/users/{username}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(@PathParam("username") String username, @RestForm String password) {
        try {
            users.resetPassword(ui.actor(), username, password);
            return UiResponses.seeOther("/admin/users/" + username + "?done=password");
        } catch (ApiException refused) {
            return userPage(username, UiProblem.of(refused), null, null);
        }
    }

    /** The version the page showed (a hidden field): a policy saved meanwhile by someone else is a 409, not overwritten. */
    private static long shownVersion(String version, PolicyService.PolicyView current) {
        return version == null || version.isBlank() ? current.version() : com.mailgov.web.Params.number(version, "Policy version");
    }

    private static Severity severityOf(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Severity.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "must be BLOCK, WARN or INFO");
        }
    }

    private static Integer number(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be a whole number");
        }
    }
}
