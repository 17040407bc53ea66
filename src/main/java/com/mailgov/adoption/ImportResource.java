package com.mailgov.adoption;

import com.mailgov.adoption.ImportDtos.ImportRequest;
import com.mailgov.adoption.ImportDtos.ImportResult;
import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/mail-servers/{id}/import")
@Tag(name = "mail-servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.ADMINISTER)
public class ImportResource {

    @Inject
    ImportService imports;

    @Inject
    CurrentActor actor;

    @POST
    @Operation(summary = "Import (adopt) what the server holds: proposes it as change requests per department, writes nothing to the server")
    public ImportResult importServer(@PathParam("id") long id, ImportRequest body) {
        return imports.importServer(actor.get(), id, body);
    }
}
