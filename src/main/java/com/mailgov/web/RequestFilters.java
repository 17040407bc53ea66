package com.mailgov.web;

import com.mailgov.config.MailgovConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Request id, source address and body-size guard for every API call. */
public class RequestFilters {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String REQUEST_ID_PROPERTY = "mailgov.requestId";

    @Inject
    RequestInfo requestInfo;

    @Inject
    MailgovConfig config;

    @ServerRequestFilter(preMatching = true)
    public Response identifyAndGuard(ContainerRequestContext ctx, HttpServerRequest request) {
        // A caller's id is kept only when it is safe to echo into logs and headers.
        String offered = ctx.getHeaderString(REQUEST_ID_HEADER);
        String requestId = offered != null && SAFE_REQUEST_ID.matcher(offered).matches()
                ? offered : UUID.randomUUID().toString();
        String sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        requestInfo.set(requestId, sourceIp);
        ctx.setProperty(REQUEST_ID_PROPERTY, requestId);

        String length = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = Long.MAX_VALUE;
            }
            long limit = config.limits().maxBodyBytes();
            if (bytes > limit) {
                return ProblemResponses.of(new ApiException(ProblemType.PAYLOAD_TOO_LARGE,
                        "The body has " + length.trim() + " bytes; at most " + limit + " are accepted",
                        List.of(), Map.of("maxBytes", limit)), requestId, ctx.getUriInfo().getPath());
            }
        }
        return null;
    }

    @ServerResponseFilter
    public void echoRequestId(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(REQUEST_ID_PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(REQUEST_ID_HEADER, id);
        }
    }
}
