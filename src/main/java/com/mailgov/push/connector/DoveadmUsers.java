package com.mailgov.push.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Lists a Dovecot's users over its doveadm HTTP API ({@code doveadm_api_key} and
 * {@code service doveadm { inet_listener http }}): the {@code user} command with a mask
 * iterates the userdb. ManageSieve cannot list users, so this is how drift sees every mailbox.
 */
public final class DoveadmUsers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DoveadmUsers() {
    }

    /**
     * @param url    e.g. {@code http://127.0.0.1:8080/doveadm/v1}
     * @param apiKey the {@code doveadm_api_key} (sent base64-encoded, never logged)
     * @param mask   a user mask, e.g. {@code *} or {@code *@corp.example}
     */
    public static List<String> list(String url, String apiKey, String mask, Duration timeout) throws ConnectorException {
        String body = "[[\"user\",{\"userMask\":[" + JSON.valueToTree(mask) + "]},\"mailgov\"]]";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", "X-Dovecot-API " + Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConnectorException("doveadm API at " + url + " cannot be reached: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("interrupted", true, e);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new ConnectorException("doveadm API at " + url + " refused the API key (HTTP " + r.statusCode() + ")", false);
        }
        if (r.statusCode() != 200) {
            throw new ConnectorException("doveadm API at " + url + " answered HTTP " + r.statusCode(), r.statusCode() >= 500);
        }
        try {
            JsonNode answer = JSON.readTree(r.body()).path(0);
            if (!"doveadmResponse".equals(answer.path(0).asText())) {
                throw new ConnectorException("doveadm API at " + url + " could not list users: " + answer.path(1), false);
            }
            List<String> users = new ArrayList<>();
            answer.path(1).path("userList").forEach(u -> users.add(u.asText().toLowerCase(Locale.ROOT)));
            return users;
        } catch (IOException e) {
            throw new ConnectorException("doveadm API at " + url + " answered something that is not JSON", false, e);
        }
    }
}
