package com.mailgov.push.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.testsupport.MailStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MailmanConnector} against a real Mailman 3 core (private stack). */
class MailmanConnectorTest implements MailServerConnectorContract {

    static MailStack stack;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startStack() throws Exception {
        stack = MailStack.start(true);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.stop();
        }
    }

    static MailServerTarget target(String url, String password, Map<String, String> options) {
        return new MailServerTarget("mailman-test", ServerKind.MAILMAN, url, stack.env("MAILMAN_REST_USER"), password, options);
    }

    static MailServerTarget target() {
        return target(stack.env("MAILMAN_REST_URL"), stack.env("MAILMAN_REST_PASS"), Map.of("pageSize", "2"));
    }

    @Override
    public MailServerConnector connector() {
        return new MailmanConnector(target());
    }

    @Override
    public ArtifactKey freshKey() {
        return ArtifactKey.list("l-" + UUID.randomUUID().toString().substring(0, 8) + "@lists.corp.example");
    }

    @Override
    public String content(ArtifactKey key, int variant) {
        return MailmanConnector.listContent("List " + variant, variant % 2 == 0, variant % 2 == 1);
    }

    @Override
    public String unicodeContent(ArtifactKey key) {
        return MailmanConnector.listContent("営業一課 «Ünïcode» \"quoted\" \\", true, false);
    }

    private static JsonNode get(String path) throws Exception {
        String auth = Base64.getEncoder().encodeToString((stack.env("MAILMAN_REST_USER") + ":"
                + stack.env("MAILMAN_REST_PASS")).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.env("MAILMAN_REST_URL") + path)).header("Authorization", "Basic " + auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void canonicalListContent() {
        assertEquals("display_name=Team\ninclude_rfc2369_headers=true\nreply_goes_to_list=no_munging",
                MailmanConnector.listContent("Team", true, false));
        assertEquals("display_name=T\ninclude_rfc2369_headers=false\nreply_goes_to_list=point_to_list",
                MailmanConnector.listContent("T", false, true));
        assertThrows(IllegalArgumentException.class, () -> MailmanConnector.listContent("a\nb", true, true));
    }

    @Test
    void listSettingsAndMembersAreVisibleOverRest() throws Exception {
        String domain = "d" + UUID.randomUUID().toString().substring(0, 6) + ".example"; // a domain Mailman does not know yet
        String list = "team@" + domain;
        String listId = "team." + domain;
        Map<ArtifactKey, String> changes = new HashMap<>();
        changes.put(ArtifactKey.list(list), MailmanConnector.listContent("Team 営業", false, true));
        for (String m : List.of("takahashi@corp.example", "suzuki@corp.example", "tanaka@corp.example")) {
            changes.put(ArtifactKey.listMember(list, m), "");
        }
        MailmanConnector c = new MailmanConnector(target());
        c.apply(changes);
        c.apply(changes); // idempotent: existing domain, list, members

        JsonNode cfg = get("/lists/" + listId + "/config");
        assertEquals("Team 営業", cfg.get("display_name").asText());
        assertFalse(cfg.get("include_rfc2369_headers").asBoolean());
        assertEquals("point_to_list", cfg.get("reply_goes_to_list").asText());
        assertEquals("no_mitigation", cfg.get("dmarc_mitigate_action").asText(), "left as Mailman has it");
        JsonNode roster = get("/lists/" + listId + "/roster/member");
        assertEquals(3, roster.get("total_size").asInt());
        assertTrue(roster.get("entries").findValuesAsText("email").containsAll(
                List.of("takahashi@corp.example", "suzuki@corp.example", "tanaka@corp.example")));

        // keyed and full reads see the same (full read pages with pageSize=2)
        assertEquals(new TreeMap<>(changes), c.read(ReadScope.of(changes.keySet())));
        Map<ArtifactKey, String> everything = c.read(ReadScope.everything(Set.of()));
        assertTrue(everything.entrySet().containsAll(changes.entrySet()), everything.toString());

        // member removal (and removing again) and list removal
        Map<ArtifactKey, String> removeOne = new HashMap<>();
        removeOne.put(ArtifactKey.listMember(list, "suzuki@corp.example"), null);
        c.apply(removeOne);
        c.apply(removeOne);
        assertEquals(2, get("/lists/" + listId + "/roster/member").get("total_size").asInt());
        Map<ArtifactKey, String> removeList = new HashMap<>();
        removeList.put(ArtifactKey.list(list), null);
        removeList.put(ArtifactKey.listMember(list, "takahashi@corp.example"), null);
        c.apply(removeList);
        assertEquals(Map.of(), c.read(ReadScope.of(changes.keySet())));
    }

    @Test
    void invalidSettingIsNotRetryableWithMailmansDescription() {
        ArtifactKey key = freshKey();
        ConnectorException e = assertThrows(ConnectorException.class, () -> new MailmanConnector(target()).apply(Map.of(key,
                "display_name=X\ninclude_rfc2369_headers=true\nreply_goes_to_list=bogus")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("Accepted Values"), e.getMessage());
    }

    @Test
    void wrongPasswordIsNotRetryableAndNeverShown() {
        String wrong = "wrong-" + UUID.randomUUID();
        MailmanConnector c = new MailmanConnector(target(stack.env("MAILMAN_REST_URL"), wrong, Map.of()));
        ConnectorException e = assertThrows(ConnectorException.class, () -> c.read(ReadScope.everything(Set.of())));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
    }

    @Test
    void unreachableServerIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        MailmanConnector c = new MailmanConnector(target("http://127.0.0.1:" + closedPort + "/3.1", "x", Map.of()));
        ConnectorException e = assertThrows(ConnectorException.class, () -> c.read(ReadScope.everything(Set.of())));
        assertTrue(e.retryable(), e.getMessage());
    }
}
