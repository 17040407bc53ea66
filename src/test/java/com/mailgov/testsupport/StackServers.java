package com.mailgov.testsupport;

import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.connector.SieveByHand;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real mail stack beside a {@code @QuarkusTest} service: Postfix reads its aliases from a
 * {@code virtual_alias} table in a database of its own on the test PostgreSQL, and the three servers
 * can be registered with the service (their secrets in the folder the test profile allows). It also
 * reads back what the servers hold, as the tests compare it before and after. Start it in the first
 * test (RestAssured knows the service's port only then); {@link #close()} unregisters the servers,
 * stops the stack and drops the alias database.
 */
public final class StackServers implements AutoCloseable {

    public final MailStack stack;
    public final String aliasDb;
    public final int pgPort;
    private final String adminUrl;
    private final String aliasUrl;
    private final int servicePort;

    private StackServers(MailStack stack, String aliasDb, int pgPort, int servicePort) {
        this.stack = stack;
        this.aliasDb = aliasDb;
        this.pgPort = pgPort;
        this.adminUrl = url(pgPort, "postgres");
        this.aliasUrl = url(pgPort, aliasDb);
        this.servicePort = servicePort;
    }

    /** A new alias table holding {@code aliasRows} (source → destination), then the stack with Mailman. */
    public static StackServers start(String name, Map<String, String> aliasRows, Map<String, String> stackSettings) throws Exception {
        String jdbc = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        int pgPort = URI.create(jdbc.substring("jdbc:".length())).getPort();
        String db = name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int servicePort = RestAssured.port;
        try (Connection c = DriverManager.getConnection(url(pgPort, "postgres"), "postgres", null)) {
            c.createStatement().execute("CREATE DATABASE " + db);
        }
        try (Connection c = DriverManager.getConnection(url(pgPort, db), "postgres", null)) {
            c.createStatement().execute("CREATE TABLE virtual_alias (source text PRIMARY KEY, destination text NOT NULL, "
                    + "enabled boolean NOT NULL DEFAULT true)");
            PreparedStatement insert = c.prepareStatement("INSERT INTO virtual_alias (source, destination) VALUES (?, ?)");
            for (Map.Entry<String, String> r : aliasRows.entrySet()) {
                insert.setString(1, r.getKey());
                insert.setString(2, r.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Map<String, String> settings = new HashMap<>(Map.of("MAILSTACK_PGSQL_ALIASES", "1", "MAILSTACK_PG_DB", db,
                "MAILSTACK_PG_PORT", Integer.toString(pgPort), "MAILSTACK_TIMEOUT", "300")); // Mailman is slow on a busy machine
        settings.putAll(stackSettings);
        return new StackServers(MailStack.start(true, settings), db, pgPort, servicePort);
    }

    private static String url(int pgPort, String db) {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + db;
    }

    /** The alias database's JDBC URL. */
    public String aliasUrl() {
        return aliasUrl;
    }

    /** The service's port (RestAssured's when the stack started). */
    public int servicePort() {
        return servicePort;
    }

    public Connection aliasConnection() throws Exception {
        return DriverManager.getConnection(aliasUrl, "postgres", null);
    }

    public void sql(String statement) throws Exception {
        try (Connection c = aliasConnection()) {
            c.createStatement().execute(statement);
        }
    }

    // ------------------------------------------------------------------ registration (OBSERVE)

    /** Dovecot over ManageSieve; {@code doveadm}: its mailboxes listed over the doveadm HTTP API. */
    public int registerDovecot(boolean doveadm) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "dovecot", "kind", "DOVECOT_MANAGESIEVE",
                "endpoint", "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), "username", stack.env("SIEVE_MASTER_USER"),
                "credentialRef", "file:" + Secrets.file("sieve", stack.env("SIEVE_MASTER_PASSWORD"))));
        if (doveadm) {
            body.put("options", Map.of("mailboxSource", "doveadm", "doveadmUrl", stack.env("DOVEADM_HTTP_URL"),
                    "doveadmKeyRef", "file:" + Secrets.file("doveadm", stack.env("DOVEADM_API_KEY"))));
        }
        return register(body);
    }

    public int registerPostfix() {
        return register(Map.of("name", "postfix", "kind", "POSTFIX_PGSQL", "endpoint", "postgresql://127.0.0.1:" + pgPort + "/" + aliasDb,
                "username", "postgres"));
    }

    public int registerMailman() {
        return register(Map.of("name", "mailman", "kind", "MAILMAN", "endpoint", stack.env("MAILMAN_REST_URL"),
                "username", stack.env("MAILMAN_REST_USER"), "credentialRef", "file:" + Secrets.file("mailman", stack.env("MAILMAN_REST_PASS"))));
    }

    private static int register(Map<String, Object> body) {
        return Api.admin().body(body).post("/api/v1/mail-servers").then().statusCode(201).body("mode", equalTo("OBSERVE"))
                .extract().path("id");
    }

    /** A connector for setting Mailman up as if by hand, around mailgov. */
    public MailmanConnector mailmanByHand() {
        return new MailmanConnector(new MailServerTarget("setup", ServerKind.MAILMAN, stack.env("MAILMAN_REST_URL"),
                stack.env("MAILMAN_REST_USER"), stack.env("MAILMAN_REST_PASS"), Map.of()));
    }

    /** Puts and activates a user's own Sieve script over ManageSieve, around mailgov. */
    public void sieveByHand(String mailbox, String script, String text) throws Exception {
        SieveByHand.putActive("127.0.0.1", stack.port("MANAGESIEVE_PORT"), mailbox, stack.env("SIEVE_MASTER_USER"),
                stack.env("SIEVE_MASTER_PASSWORD"), script, text);
    }

    // ------------------------------------------------------------------ what the servers hold

    /** The alias table as "source=destination=enabled" lines in source order. */
    public String aliases() throws Exception {
        StringBuilder s = new StringBuilder();
        try (Connection c = aliasConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT source, destination, enabled FROM virtual_alias ORDER BY source")) {
            while (r.next()) {
                s.append(r.getString(1)).append('=').append(r.getString(2)).append('=').append(r.getBoolean(3)).append('\n');
            }
        }
        return s.toString();
    }

    /** Every list with its full config and members, hashed, and the lists' ids. */
    public String mailmanState() throws Exception {
        StringBuilder s = new StringBuilder();
        List<String> found = JsonPath.from(mailmanGet("/lists?count=1000&page=1")).getList("entries.list_id", String.class);
        List<String> ids = new ArrayList<>(found == null ? List.of() : found);
        ids.sort(null);
        for (String id : ids) {
            s.append(id).append('\n').append(new TreeMap<>(JsonPath.from(mailmanGet("/lists/" + id + "/config")).getMap("")))
                    .append('\n');
            List<String> members = new ArrayList<>(JsonPath.from(mailmanGet("/lists/" + id + "/roster/member?count=1000&page=1"))
                    .getList("entries.email", String.class));
            members.sort(null);
            s.append(members).append('\n');
        }
        return sha(s.toString()) + " (" + ids + ")";
    }

    public String mailmanGet(String path) throws Exception {
        String auth = Base64.getEncoder().encodeToString((stack.env("MAILMAN_REST_USER") + ":" + stack.env("MAILMAN_REST_PASS"))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.env("MAILMAN_REST_URL") + path))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Every mailbox's scripts ("name (active)=text" lines). */
    public Map<String, String> scripts(Collection<String> mailboxes) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String box : mailboxes) {
            out.put(box, SieveByHand.all("127.0.0.1", stack.port("MANAGESIEVE_PORT"), box, stack.env("SIEVE_MASTER_USER"),
                    stack.env("SIEVE_MASTER_PASSWORD")).toString());
        }
        return out;
    }

    public static String sha(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() throws Exception {
        try {
            RestAssured.port = servicePort; // a test may have pointed it elsewhere
            for (Object id : Api.admin().get("/api/v1/mail-servers").then().extract().jsonPath().getList("findAll { it.kind != 'FILE' }.id")) {
                Api.admin().delete("/api/v1/mail-servers/{id}", id);
            }
        } finally {
            if (stack != null) {
                stack.stop();
            }
            try (Connection c = DriverManager.getConnection(adminUrl, "postgres", null)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + aliasDb + " WITH (FORCE)");
            }
        }
    }
}
