package com.mailgov.webhook;

import com.mailgov.security.Access;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import com.mailgov.web.Params;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/api/v1/webhooks")
@Tag(name = "webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.ADMINISTER)
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    @Inject
    CurrentActor actor;

    @POST
    @Operation(summary = "Register an endpoint; without a secret one is generated and shown only in this response")
    public Response create(WebhookService.EndpointRequest body) {
        WebhookService.EndpointView created = webhooks.create(actor.get(), body);
        return Response.created(URI.create("/api/v1/webhooks/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List endpoints (secrets are never shown)")
    public List<WebhookService.EndpointView> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One endpoint")
    public WebhookService.EndpointView get(@PathParam("id") String id) {
        return webhooks.get(idOf(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change an endpoint (a secret given here replaces the old one)")
    public WebhookService.EndpointView update(@PathParam("id") String id, WebhookService.EndpointRequest body) {
        return webhooks.update(actor.get(), idOf(id), body);
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Remove an endpoint and its delivery log")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(actor.get(), idOf(id));
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The delivery log, newest first: status, attempts, last HTTP status or error, latency")
    public List<WebhookService.DeliveryView> deliveries(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        return webhooks.deliveries(idOf(id), size);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a delivery again (same webhook-id, fresh signature)")
    public WebhookService.DeliveryView redeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return webhooks.redeliver(actor.get(), idOf(id), idOf(deliveryId));
    }

    private static long idOf(String id) {
        return Params.number(id, "Webhook");
    }
}
