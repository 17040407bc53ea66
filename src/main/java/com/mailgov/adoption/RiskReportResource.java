package com.mailgov.adoption;

import com.mailgov.security.Access;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/risk-report")
@Tag(name = "risk-report")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.REVIEW)
public class RiskReportResource {

    @Inject
    RiskReportService reports;

    @GET
    @Operation(summary = "Every loop risk over the whole directory and what the servers hold unmanaged, by estimated amplification")
    public RiskReportService.RiskReport report() {
        return reports.report();
    }
}
