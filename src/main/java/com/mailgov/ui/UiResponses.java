package com.mailgov.ui;

import com.mailgov.web.ApiException;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.UUID;

/** How UI resources answer: a page (with the status of the problem it shows), or a redirect after a POST. */
final class UiResponses {

    private UiResponses() {
    }

    static Response page(TemplateInstance page, UiContext ui, UiProblem problem) {
        int status = problem == null ? 200 : problem.status();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Pages.localized(page, ui)).build();
    }

    static Response page(TemplateInstance page, UiContext ui) {
        return page(page, ui, null);
    }

    static Response error(UiContext ui, ApiException e) {
        UiProblem problem = UiProblem.of(e);
        return page(Pages.error(ui, problem), ui, problem);
    }

    /** 303: the browser GETs the result, so reloading it never repeats the POST. */
    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    static UUID id(String id) {
        return com.mailgov.web.Params.uuid(id, "Change request");
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
