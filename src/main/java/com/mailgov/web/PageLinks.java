package com.mailgov.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;

/**
 * RFC 8288 {@code Link} headers to the next and previous page: the request's own URI with only
 * {@code cursor} replaced, relative (path and query), so it stays right behind a proxy.
 */
public final class PageLinks {

    private PageLinks() {
    }

    public static Response.ResponseBuilder add(Response.ResponseBuilder response, UriInfo uri, String next, String previous) {
        if (next != null) {
            response.header("Link", "<" + with(uri, next) + ">; rel=\"next\"");
        }
        if (previous != null) {
            response.header("Link", "<" + with(uri, previous) + ">; rel=\"prev\"");
        }
        return response;
    }

    private static String with(UriInfo uri, String cursor) {
        URI u = uri.getRequestUriBuilder().replaceQueryParam(Cursor.FIELD, cursor).build();
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }
}
