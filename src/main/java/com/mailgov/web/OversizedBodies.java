package com.mailgov.web;

import com.mailgov.config.MailgovConfig;
import com.mailgov.json.Json;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A body over the limit is answered with the same problem document as every other error: a
 * declared length at once, before anything reads the body; an HTTP/1.1 chunked body (no length) is
 * read here, up to the limit, and refused the moment it passes it; an HTTP/2 body without a length is
 * counted while the REST layer reads it ({@link BodyLimitInterceptor}). (The REST layer's own limit,
 * {@code quarkus.http.limits.max-body-size}, answers a bare 413 with no problem document.)
 */
@ApplicationScoped
public class OversizedBodies {

    private static final Logger LOG = Logger.getLogger(OversizedBodies.class);

    @Inject
    MailgovConfig config;

    @Inject
    Json json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize backstop;

    void install(@Observes Router router) {
        long limit = config.limits().maxBodyBytes();
        if (backstop.asLongValue() < 2 * limit) {
            LOG.warnf("quarkus.http.limits.max-body-size (%d bytes) is less than twice mailgov.limits.max-body-bytes (%d):"
                    + " an HTTP/2 body without content-length may get a bare 413 instead of the problem document", backstop.asLongValue(), limit);
        }
        // Reads a chunked body into memory, at most the limit (the REST layer then takes it from there),
        // and fails the request with 413 as soon as more arrives.
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(limit).setMergeFormAttributes(false);
        // first of all routes: a declared length over the limit is answered before anything reads the body
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && declared(length) > limit) {
                answer(ctx);
            } else if (length == null && ctx.request().version() != HttpVersion.HTTP_2 && mayHaveBody(ctx)) {
                // HTTP/1.1 chunked. (Not HTTP/2: the REST layer pauses every request it takes, which Vert.x
                // refuses for an HTTP/2 request already read to its end; there BodyLimitInterceptor counts.)
                chunked.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                answer(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private static boolean mayHaveBody(RoutingContext ctx) {
        return switch (ctx.request().method().name()) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A body that grew past the limit while the REST layer read it: not a failure to log. */
    static boolean isBodyTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitInterceptor.BodyTooLargeException
                    || t instanceof java.io.IOException && "Request too large".equals(t.getMessage())) {
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
