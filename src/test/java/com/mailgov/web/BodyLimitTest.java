package com.mailgov.web;

import com.mailgov.testsupport.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever way an oversized body comes — a length far over the limit, or chunked without a
 * length — it is refused with the payload-too-large problem document and nothing is stored.
 */
@QuarkusTest
class BodyLimitTest {

    @TestHTTPResource("/api/v1/change-requests")
    URI changeRequests;

    @Test
    void hugeAndChunkedBodiesGetTheProblemDocumentAndStoreNothing() throws Exception {
        String dept = Api.department("BIG", "大きい");
        String requester = Api.user("req", dept, "requester");
        String auth = basicAuth(requester);
        // HTTP/1.1: without it the JDK client upgrades to HTTP/2 (h2c), where a body has no Transfer-Encoding
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // chunked: the JDK client sends a stream of unknown length with Transfer-Encoding: chunked
        byte[] big = ("{\"department\":\"" + dept + "\",\"title\":\"" + "x".repeat(400_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = post(http, auth, streamOf(big));
        assertProblem(chunked); // a chunked body is held to the same limit, with the same problem document

        // a chunked body within the limit is read as usual
        byte[] small = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(Api.request(dept, "chunked but small",
                Api.item("CREATE", "MAILBOX", Map.of("address", Api.unique("chunk") + "@corp.example"))));
        HttpResponse<String> fine = post(http, auth, streamOf(small));
        assertEquals(201, fine.statusCode(), fine.body());

        // a declared length of 11 MB
        byte[] huge = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> declared = post(http, auth, HttpRequest.BodyPublishers.ofByteArray(huge));
        assertProblem(declared);

        assertEquals(1, Api.as(requester).queryParam("department", dept).get("/api/v1/change-requests")
                .then().statusCode(200).extract().jsonPath().getList("$").size(), "only the small request stored");
    }

    @Test
    void http2BodiesWithoutALengthOverTheLimitGetTheProblemDocumentAndStoreNothing() throws Exception {
        String dept = Api.department("H2", "エイチツー");
        String requester = Api.user("h2", dept, "requester");
        String auth = basicAuth(requester);
        // h2c, as the service serves it: the JDK client upgrades its first request, then sends every body as HTTP/2 DATA
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> upgrade = http.send(HttpRequest.newBuilder(changeRequests.resolve("/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, upgrade.statusCode());

        // no content-length: a stream of unknown length, over the limit
        byte[] big = ("{\"department\":\"" + dept + "\",\"title\":\"" + "x".repeat(400_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> tooLarge = post(http, auth, streamOf(big));
        assertEquals(HttpClient.Version.HTTP_2, tooLarge.version(), "the body went over HTTP/2");
        assertProblem(tooLarge);

        // within the limit, no content-length either: read as usual
        byte[] small = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(Api.request(dept, "h2 but small",
                Api.item("CREATE", "MAILBOX", Map.of("address", Api.unique("h2") + "@corp.example"))));
        HttpResponse<String> fine = post(http, auth, streamOf(small));
        assertEquals(HttpClient.Version.HTTP_2, fine.version());
        assertEquals(201, fine.statusCode(), fine.body());

        // a declared length over the limit, over HTTP/2
        byte[] declared = new byte[1024 * 1024];
        java.util.Arrays.fill(declared, (byte) ' ');
        HttpResponse<String> withLength = post(http, auth, HttpRequest.BodyPublishers.ofByteArray(declared));
        assertEquals(HttpClient.Version.HTTP_2, withLength.version());
        assertProblem(withLength);

        assertEquals(List.of("h2 but small"), Api.as(requester).queryParam("department", dept).get("/api/v1/change-requests")
                .then().statusCode(200).extract().jsonPath().getList("title"), "only the small request stored");
    }

    private static String basicAuth(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** A body of unknown length: the client sends it chunked (HTTP/1.1) or as DATA frames without a length (HTTP/2). */
    private static HttpRequest.BodyPublisher streamOf(byte[] body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body));
    }

    private HttpResponse<String> post(HttpClient http, String auth, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(changeRequests).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> r) {
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertTrue(r.body().contains("\"urn:mailgov:problem:payload-too-large\"") && r.body().contains("\"maxBytes\""), r.body());
    }
}
