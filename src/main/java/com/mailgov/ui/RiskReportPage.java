package com.mailgov.ui;

import com.mailgov.adoption.RiskReportService;
import com.mailgov.security.Access;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The day-one risk report: loop risks by amplification, then what the servers hold unmanaged. */
@Path("/risk-report")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.REVIEW)
public class RiskReportPage {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance riskReport(UiContext ui, RiskReportService.RiskReport report);
    }

    @Inject
    UiContext ui;

    @Inject
    RiskReportService reports;

    @GET
    public Response show() {
        return UiResponses.page(Templates.riskReport(ui, reports.report()), ui);
    }
}
