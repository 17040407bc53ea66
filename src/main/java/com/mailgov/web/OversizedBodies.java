package com.mailgov.web;

import com.mailgov.config.MailgovConfig;
import com.mailgov.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A declared body length over the limit is answered with the same problem document as every other
 * error, before anything reads the body. (A chunked body is held to the same limit by the HTTP
 * layer, {@code quarkus.http.limits.max-body-size}, which answers a bare 413.)
 */
@ApplicationScoped
public class OversizedBodies {

    @Inject
    MailgovConfig config;

    @Inject
    Json json;

    void install(@Observes Router router) {
        // first of all routes: a declared length over the limit is answered before anything reads the body
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && declared(length) > config.limits().maxBodyBytes()) {
                answer(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** How the REST layer reports a chunked body that grew past the limit (it has answered 413 already): not a failure to log. */
    static boolean isBodyTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException && "Request too large".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The problem document for a body over the limit. */
    private void answer(RoutingContext ctx) {
        long limit = config.limits().maxBodyBytes();
        Problem problem = new Problem(ProblemType.PAYLOAD_TOO_LARGE.uri(), ProblemType.PAYLOAD_TOO_LARGE.title(), 413,
                "The body is larger than the " + limit + " bytes accepted", ctx.request().path(),
                UUID.randomUUID().toString(), null, List.of(), Map.of("maxBytes", limit));
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(json.write(problem));
    }
}
