package com.mailgov.selfservice;

import com.mailgov.selfservice.SelfAutoreplyDtos.SelfAutoreplyView;
import com.mailgov.ui.UiContext;
import com.mailgov.ui.UiProblem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The employee's pages (templates/selfservice/*.html). */
@CheckedTemplate(basePath = "selfservice")
final class SelfPages {

    private SelfPages() {
    }

    /**
     * @param view  null when the page cannot be shown (then {@code problem} says why)
     * @param saved "saved" or "removed" after a successful post, else null
     */
    static native TemplateInstance autoreply(UiContext ui, SelfAutoreplyView view, AbsenceForm form, UiProblem problem,
                                             FieldTexts fields, String state, String saved);
}
