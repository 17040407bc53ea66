package com.mailgov.account;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/api/v1/users")
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.ADMINISTER)
public class UserResource {

    @Inject
    UserService users;

    @Inject
    CurrentActor actor;

    /** {@code email}: the person's own mail address; with it the account may manage that mailbox's autoreply (role self). */
    public record CreateUser(String username, String password, List<String> roles, String department, String email) {
    }

    @POST
    @Operation(summary = "Create a local account")
    public Response create(CreateUser body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        UserService.UserView created = users.create(actor.get(), body.username(), body.password(), body.roles(), body.department(), body.email());
        return Response.created(URI.create("/api/v1/users/" + created.username())).entity(created).build();
    }

    @GET
    @Operation(summary = "List local accounts (passwords are never shown)")
    public List<UserService.UserView> list() {
        return users.list();
    }

    @GET
    @Path("/{username}")
    @Operation(summary = "One local account")
    public UserService.UserView get(@PathParam("username") String username) {
        return users.get(username);
    }

    public record UpdateUser(List<String> roles, String department, Boolean enabled, String email) {
    }

    @PUT
    @Path("/{username}")
    @Operation(summary = "Replace an account's roles, department and enabled flag",
            description = "A disabled account cannot log in and loses its UI session at its next request. "
                    + "The last enabled admin cannot be demoted or disabled (409).")
    public UserService.UserView update(@PathParam("username") String username, UpdateUser body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        return users.update(actor.get(), username, body.roles(), body.department(), body.enabled(), body.email());
    }

    public record NewPassword(String password) {
    }

    @PUT
    @Path("/{username}/password")
    @Operation(summary = "Set a new password (recorded in the audit log, never shown)")
    public Response resetPassword(@PathParam("username") String username, NewPassword body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        users.resetPassword(actor.get(), username, body.password());
        return Response.noContent().build();
    }
}
