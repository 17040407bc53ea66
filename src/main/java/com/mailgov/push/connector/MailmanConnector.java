package com.mailgov.push.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mailman 3 lists and memberships over the core REST API (endpoint: base URL including the API
 * version, e.g. {@code http://127.0.0.1:8001/3.1}; HTTP basic auth). Only the settings mailgov
 * governs are written ({@link #SETTINGS}); everything else, notably {@code dmarc_mitigate_action},
 * is left as the server has it. Members are added pre-verified, pre-confirmed and pre-approved so
 * that Mailman sends no confirmation mail and keeps nothing pending. List and member addresses
 * are compared in lower case, as Mailman stores them. Options: {@code timeoutMillis} (30000),
 * {@code pageSize} (1000, entries per GET of a collection: Mailman loads the whole collection for every
 * page), {@code readConcurrency} (4, list settings read at once while reading a whole server).
 */
public final class MailmanConnector implements MailServerConnector {

    /** The list settings mailgov governs, in content order. */
    static final List<String> SETTINGS = List.of("display_name", "include_rfc2369_headers", "reply_goes_to_list");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MailServerTarget target;
    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final int pageSize;
    private final int readConcurrency;

    public MailmanConnector(MailServerTarget target) {
        this.target = target;
        String b = target.endpoint().trim();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (target.username() + ":" + target.secret()).getBytes(StandardCharsets.UTF_8));
        this.timeout = Duration.ofMillis(Long.parseLong(target.option("timeoutMillis", "30000")));
        this.pageSize = Math.max(1, Integer.parseInt(target.option("pageSize", "1000")));
        this.readConcurrency = Math.max(1, Math.min(16, Integer.parseInt(target.option("readConcurrency", "4"))));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with gunicorn
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The canonical LIST content mailgov compares: sorted {@code name=value} lines. */
    public static String listContent(String displayName, boolean listHeaders, boolean replyToList) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("display_name", displayName);
        settings.put("include_rfc2369_headers", Boolean.toString(listHeaders));
        settings.put("reply_goes_to_list", replyToList ? "point_to_list" : "no_munging");
        return content(settings);
    }

    private static String content(Map<String, String> settings) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String v = e.getValue();
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(e.getKey() + " must be one line");
            }
            if (s.length() > 0) {
                s.append('\n');
            }
            s.append(e.getKey()).append('=').append(v);
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ read

    @Override
    public Map<ArtifactKey, String> read(ReadScope scope) throws ConnectorException {
        Map<ArtifactKey, String> result = new TreeMap<>();
        if (scope.isEverything()) {
            // Every list's config, but all memberships from the top-level collection: a handful of
            // pages instead of one roster GET per list (half the requests of a 1,000-list import).
            Map<String, String> addressOf = new HashMap<>();
            Map<String, String> displayNameOf = new TreeMap<>();
            for (JsonNode list : pages("/lists")) {
                String address = list.path("fqdn_listname").asText().toLowerCase(Locale.ROOT);
                String listId = list.path("list_id").asText();
                addressOf.put(listId, address);
                displayNameOf.put(listId, list.path("display_name").asText(""));
            }
            for (Map.Entry<String, String> e : configContents(displayNameOf).entrySet()) {
                result.put(ArtifactKey.list(addressOf.get(e.getKey())), e.getValue());
            }
            for (JsonNode m : pages("/members")) {
                String address = addressOf.get(m.path("list_id").asText());
                if (address != null && "member".equals(m.path("role").asText())) {
                    result.put(ArtifactKey.listMember(address, m.path("email").asText().toLowerCase(Locale.ROOT)), "");
                }
            }
            return result;
        }
        // keyed: each list in scope once (its config and/or roster), whatever number of member keys
        Set<String> listsForConfig = new TreeSet<>();
        Map<String, Set<ArtifactKey>> memberKeys = new TreeMap<>();
        for (ArtifactKey k : scope.keys()) {
            if (k.type() == ArtifactType.LIST) {
                listsForConfig.add(k.key());
            } else if (k.type() == ArtifactType.LIST_MEMBER) {
                String[] lm = splitMember(k);
                memberKeys.computeIfAbsent(lm[0], x -> new HashSet<>()).add(k);
            }
        }
        for (String address : listsForConfig) {
            Response r = send("GET", "/lists/" + listId(address), null);
            if (r.status == 404) {
                continue;
            }
            String displayName = ok(r, "reading list " + address).json().path("display_name").asText("");
            result.put(ArtifactKey.list(address), configContent(listId(address), displayName));
        }
        for (Map.Entry<String, Set<ArtifactKey>> e : memberKeys.entrySet()) {
            Set<String> roster = members(listId(e.getKey()));
            for (ArtifactKey k : e.getValue()) {
                if (roster.contains(splitMember(k)[1].toLowerCase(Locale.ROOT))) {
                    result.put(k, "");
                }
            }
        }
        return result;
    }

    /**
     * The LIST content of one list. The display name comes with the list itself; the other settings
     * are read one by one: Mailman builds every one of its ~100 settings for a whole-config GET.
     */
    private String configContent(String listId, String displayName) throws ConnectorException {
        Map<String, String> settings = new TreeMap<>();
        settings.put("display_name", displayName);
        for (String name : SETTINGS) {
            if (!name.equals("display_name")) {
                JsonNode v = ok(send("GET", "/lists/" + listId + "/config/" + name, null), "reading " + name + " of " + listId)
                        .json().get(name);
                settings.put(name, v == null || v.isNull() ? "" : v.asText());
            }
        }
        return content(settings);
    }

    /**
     * {@link #configContent} of many lists (list id → display name), {@code readConcurrency} at a
     * time: Mailman's REST server answers them side by side (gunicorn workers), and the round trips
     * overlap even with one worker.
     */
    private Map<String, String> configContents(Map<String, String> displayNameOf) throws ConnectorException {
        Map<String, String> out = new TreeMap<>();
        if (readConcurrency == 1 || displayNameOf.size() < 2) {
            for (Map.Entry<String, String> e : displayNameOf.entrySet()) {
                out.put(e.getKey(), configContent(e.getKey(), e.getValue()));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(readConcurrency, r -> {
            Thread t = new Thread(r, "mailman-read-" + target.name());
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<String>> pending = new TreeMap<>();
            for (Map.Entry<String, String> e : displayNameOf.entrySet()) {
                pending.put(e.getKey(), pool.submit(() -> configContent(e.getKey(), e.getValue())));
            }
            for (Map.Entry<String, Future<String>> e : pending.entrySet()) {
                out.put(e.getKey(), e.getValue().get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectorException c) {
                throw c;
            }
            throw new ConnectorException(target.name() + ": reading list settings failed: " + e.getCause(), true, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(target.name() + ": interrupted", true, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Member addresses (lower case) of a list; none if the list does not exist. */
    private Set<String> members(String listId) throws ConnectorException {
        Set<String> members = new TreeSet<>();
        for (JsonNode m : pages("/lists/" + listId + "/roster/member")) {
            members.add(m.path("email").asText().toLowerCase(Locale.ROOT));
        }
        return members;
    }

    /** All entries of a collection, page by page ({@code count}/{@code page}); a 404 is an empty one. */
    private List<JsonNode> pages(String path) throws ConnectorException {
        List<JsonNode> all = new java.util.ArrayList<>();
        for (int page = 1; ; page++) {
            Response r = send("GET", path + "?count=" + pageSize + "&page=" + page, null);
            if (r.status == 404) {
                return all;
            }
            JsonNode body = ok(r, "reading " + path).json();
            JsonNode entries = body.path("entries");
            entries.forEach(all::add);
            int total = body.path("total_size").asInt(0);
            if (entries.size() == 0 || all.size() >= total) {
                return all;
            }
        }
    }

    // ------------------------------------------------------------------ apply

    @Override
    public void apply(Map<ArtifactKey, String> changes) throws ConnectorException {
        Set<String> domainsSeen = new HashSet<>();
        // key order: LIST before LIST_MEMBER, so a new list exists before its members are added
        for (Map.Entry<ArtifactKey, String> e : new TreeMap<>(changes).entrySet()) {
            ArtifactKey key = e.getKey();
            String content = e.getValue();
            if (key.type() == ArtifactType.LIST) {
                if (content == null) {
                    deleteList(key.key());
                } else {
                    putList(key.key(), content, domainsSeen);
                }
            } else if (key.type() == ArtifactType.LIST_MEMBER) {
                String[] lm = splitMember(key);
                if (content == null) {
                    deleteMember(lm[0], lm[1]);
                } else {
                    addMember(lm[0], lm[1]);
                }
            } else {
                throw new ConnectorException("Mailman cannot apply " + key.type() + " (" + key + ")", false);
            }
        }
    }

    private void putList(String address, String content, Set<String> domainsSeen) throws ConnectorException {
        Map<String, String> settings = parseContent(address, content);
        String domain = domainOf(address);
        if (domainsSeen.add(domain)) {
            Response d = send("GET", "/domains/" + enc(domain), null);
            if (d.status == 404) {
                Response created = send("POST", "/domains", JSON.createObjectNode().put("mail_host", domain));
                // 400 "Duplicate email host": someone else created it meanwhile
                if (created.status != 400) {
                    ok(created, "creating domain " + domain);
                }
            } else {
                ok(d, "reading domain " + domain);
            }
        }
        String listId = listId(address);
        Response l = send("GET", "/lists/" + listId, null);
        if (l.status == 404) {
            Response created = send("POST", "/lists", JSON.createObjectNode().put("fqdn_listname", address));
            if (!(created.status == 400 && created.description().toLowerCase(Locale.ROOT).contains("exists"))) {
                ok(created, "creating list " + address);
            }
        } else {
            ok(l, "reading list " + address);
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.put("display_name", settings.get("display_name"));
        patch.put("include_rfc2369_headers", Boolean.parseBoolean(settings.get("include_rfc2369_headers")));
        patch.put("reply_goes_to_list", settings.get("reply_goes_to_list"));
        ok(send("PATCH", "/lists/" + listId + "/config", patch), "configuring list " + address);
    }

    /** The content as settings; anything but exactly the governed settings is a caller bug. */
    private static Map<String, String> parseContent(String address, String content) throws ConnectorException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : content.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || !SETTINGS.contains(line.substring(0, eq))) {
                throw new ConnectorException("list " + address + ": unsupported setting line: " + line, false);
            }
            settings.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (!settings.keySet().containsAll(SETTINGS)) {
            throw new ConnectorException("list " + address + ": content must set " + SETTINGS, false);
        }
        String b = settings.get("include_rfc2369_headers");
        if (!b.equals("true") && !b.equals("false")) {
            throw new ConnectorException("list " + address + ": include_rfc2369_headers must be true or false", false);
        }
        return settings;
    }

    private void deleteList(String address) throws ConnectorException {
        Response r = send("DELETE", "/lists/" + listId(address), null);
        if (r.status != 404) {
            ok(r, "deleting list " + address);
        }
    }

    private void addMember(String list, String member) throws ConnectorException {
        ObjectNode body = JSON.createObjectNode()
                .put("list_id", listId(list))
                .put("subscriber", member)
                .put("pre_verified", true)
                .put("pre_confirmed", true)
                .put("pre_approved", true);
        Response r = send("POST", "/members", body);
        // 409 "Member already subscribed": the idempotent case
        if (r.status != 409) {
            ok(r, "subscribing " + member + " to " + list);
        }
    }

    private void deleteMember(String list, String member) throws ConnectorException {
        Response r = send("DELETE", "/lists/" + listId(list) + "/member/" + enc(member), null);
        if (r.status != 404) {
            ok(r, "unsubscribing " + member + " from " + list);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Mailman's list id: the address with {@code @} replaced by a dot. */
    static String listId(String address) {
        return enc(address.toLowerCase(Locale.ROOT).replace('@', '.'));
    }

    private static String domainOf(String address) throws ConnectorException {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new ConnectorException("not a list address: " + address, false);
        }
        return address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static String[] splitMember(ArtifactKey key) throws ConnectorException {
        int bar = key.key().indexOf('|');
        if (bar <= 0 || bar == key.key().length() - 1) {
            throw new ConnectorException("LIST_MEMBER key must be list|member: " + key.key(), false);
        }
        return new String[] {key.key().substring(0, bar).toLowerCase(Locale.ROOT), key.key().substring(bar + 1)};
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Response(int status, String body) {
        JsonNode json() throws ConnectorException {
            try {
                return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new ConnectorException("Mailman sent malformed JSON", true, e);
            }
        }

        /** Mailman's error text (falcon: {"title", "description"}), else the start of the body. */
        String description() {
            try {
                JsonNode n = JSON.readTree(body);
                if (n.hasNonNull("description")) {
                    return n.get("description").asText();
                }
                if (n.hasNonNull("title")) {
                    return n.get("title").asText();
                }
            } catch (IOException | RuntimeException ignored) {
                // not JSON
            }
            String b = body == null ? "" : body.strip();
            return b.length() > 200 ? b.substring(0, 200) + "…" : b;
        }
    }

    /** 2xx passes; 5xx is retryable; 4xx is not (the request itself is wrong). */
    private Response ok(Response r, String what) throws ConnectorException {
        if (r.status >= 200 && r.status < 300) {
            return r;
        }
        if (r.status == 401 || r.status == 403) {
            throw new ConnectorException(target.name() + ": " + what + ": HTTP " + r.status
                    + " (check the REST user and password)", false);
        }
        throw new ConnectorException(target.name() + ": " + what + ": HTTP " + r.status + " " + r.description(),
                r.status >= 500 || r.status == 408 || r.status == 429);
    }

    private Response send(String method, String path, JsonNode body) throws ConnectorException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (HttpTimeoutException e) {
            throw new ConnectorException(target.name() + ": " + method + " " + path + " timed out", true, e);
        } catch (ConnectException e) {
            throw new ConnectorException(target.name() + ": cannot connect to " + base, true, e);
        } catch (IOException e) {
            throw new ConnectorException(target.name() + ": " + method + " " + path + " failed: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(target.name() + ": interrupted", true, e);
        }
    }
}
