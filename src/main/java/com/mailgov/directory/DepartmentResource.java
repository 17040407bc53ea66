package com.mailgov.directory;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/departments")
@Tag(name = "departments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DepartmentResource {

    @Inject
    DepartmentService departments;

    @Inject
    CurrentActor actor;

    public record CreateDepartment(String code, String name) {
    }

    @POST
    @PermissionsAllowed(Access.ADMINISTER)
    @Operation(summary = "Create a department")
    public Response create(CreateDepartment body) {
        if (body == null) {
            throw com.mailgov.web.ApiException.invalid("body", "is required");
        }
        DepartmentService.DepartmentView created = departments.create(actor.get(), body.code(), body.name());
        return Response.created(UriBuilder.fromPath("/api/v1/departments/{code}").build(created.code()))
                .entity(created).build();
    }

    @GET
    @Path("/{code}")
    @PermissionsAllowed(Access.READ)
    @Operation(summary = "One department")
    public DepartmentService.DepartmentView get(@PathParam("code") String code) {
        return departments.find(code).map(DepartmentService.DepartmentView::of)
                .orElseThrow(() -> com.mailgov.web.ApiException.notFound("Department " + code));
    }

    @GET
    @PermissionsAllowed(Access.READ)
    @Operation(summary = "List departments")
    public List<DepartmentService.DepartmentView> list() {
        return departments.list();
    }
}
