package com.mailgov.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request id and source address for every API call. */
public class RequestFilters {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String REQUEST_ID_PROPERTY = "mailgov.requestId";

    @Inject
    RequestInfo requestInfo;

    @ServerRequestFilter(preMatching = true)
    public Response identifyAndGuard(ContainerRequestContext ctx, HttpServerRequest request) {
        // A caller's id is kept only when it is safe to echo into logs and headers.
        String offered = ctx.getHeaderString(REQUEST_ID_HEADER);
        String requestId = offered != null && SAFE_REQUEST_ID.matcher(offered).matches()
                ? offered : UUID.randomUUID().toString();
        String sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        requestInfo.set(requestId, sourceIp);
        ctx.setProperty(REQUEST_ID_PROPERTY, requestId);
        return null; // the body's size is checked before this, by OversizedBodies
    }

    @ServerResponseFilter
    public void echoRequestId(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(REQUEST_ID_PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(REQUEST_ID_HEADER, id);
        }
    }
}
