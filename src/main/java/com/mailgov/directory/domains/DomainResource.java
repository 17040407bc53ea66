package com.mailgov.directory.domains;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/domains")
@Tag(name = "domains")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DomainResource {

    @Inject
    CompanyDomains domains;

    @Inject
    CurrentActor actor;

    public record AddDomain(String domain) {
    }

    @GET
    @PermissionsAllowed(Access.READ)
    @Operation(summary = "The company's mail domains; addresses in any other domain are external")
    public List<CompanyDomains.DomainView> list() {
        return domains.views();
    }

    @POST
    @PermissionsAllowed(Access.ADMINISTER)
    @Operation(summary = "Add a company domain (409 if it is one, or if external subscriptions point into it)")
    public Response add(AddDomain body) {
        if (body == null) {
            throw ApiException.invalid("domain", "is required");
        }
        CompanyDomains.DomainView added = domains.add(actor.get(), body.domain());
        return Response.created(UriBuilder.fromPath("/api/v1/domains/{domain}").build(added.domain())).entity(added).build();
    }

    public record DomainSettings(Boolean directoryComplete) {
    }

    @PUT
    @Path("/{domain}")
    @PermissionsAllowed(Access.ADMINISTER)
    @Operation(summary = "Set whether the directory is complete for the domain (then unknown addresses in it are findings)")
    public CompanyDomains.DomainView update(@PathParam("domain") String domain, DomainSettings body) {
        if (body == null || body.directoryComplete() == null) {
            throw ApiException.invalid("directoryComplete", "is required (true or false)");
        }
        return domains.setDirectoryComplete(actor.get(), domain, body.directoryComplete());
    }

    @DELETE
    @Path("/{domain}")
    @PermissionsAllowed(Access.ADMINISTER)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Remove a company domain; 409 listing the directory objects that still use it")
    public Response remove(@PathParam("domain") String domain) {
        domains.remove(actor.get(), domain);
        return Response.noContent().build();
    }
}
