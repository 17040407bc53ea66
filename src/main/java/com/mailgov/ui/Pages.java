package com.mailgov.ui;

import com.mailgov.directory.DepartmentService.DepartmentView;
import com.mailgov.policy.PolicyService;
import com.mailgov.security.UserService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The admin UI's pages (templates/ui/*.html), checked against these parameters at build time. */
@CheckedTemplate(basePath = "ui")
final class Pages {

    private Pages() {
    }

    static native TemplateInstance login(UiContext ui, boolean error, boolean loggedOut);

    static native TemplateInstance queue(UiContext ui, QueueModel queue);

    static native TemplateInstance request(UiContext ui, RequestModel model, UiProblem problem, DecisionForm form);

    /** The status block alone, which the request page polls while the request is being applied. */
    static native TemplateInstance status(UiContext ui, RequestModel model);

    static native TemplateInstance submit(UiContext ui, SubmitForm form, List<DepartmentView> departments, UiProblem problem);

    static native TemplateInstance directory(UiContext ui, DirectoryModel directory, UiProblem problem);

    static native TemplateInstance audit(UiContext ui, AuditModel audit, UiProblem problem);

    static native TemplateInstance policies(UiContext ui, PolicyService.PolicyView policy, UiProblem problem, CustomRuleForm form);

    static native TemplateInstance users(UiContext ui, List<UserService.UserView> users, List<DepartmentView> departments,
                                         UiProblem problem, UserForm form, DepartmentForm departmentForm);

    /** @param done "saved" or "password" after a successful post, else null */
    static native TemplateInstance user(UiContext ui, UserService.UserView user, List<DepartmentView> departments,
                                        UiProblem problem, UserForm form, String done);

    static native TemplateInstance servers(UiContext ui, List<com.mailgov.push.server.MailServerService.MailServerView> servers,
                                           com.mailgov.push.pipeline.DriftService.DriftReport report, Long queued, Long enforced,
                                           UiProblem problem);

    static native TemplateInstance error(UiContext ui, UiProblem problem);

    static native TemplateInstance serverPlan(UiContext ui, com.mailgov.push.server.ServerModes.ServerPlan plan, UiProblem problem);

    /** Renders in the viewer's language. */
    static TemplateInstance localized(TemplateInstance page, UiContext ui) {
        return page.setLocale(ui.locale());
    }
}
