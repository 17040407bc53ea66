package com.mailgov.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real Keycloak (the unpacked {@code keycloak-quarkus-dist} zip) as an OS process for
 * {@code @QuarkusTest}s, imports the {@code mailgov} realm and points {@code quarkus-oidc} at it.
 *
 * <p>Usage: {@code @QuarkusTestResource(KeycloakTestResource.class)} (or {@code @WithTestResource})
 * on a test class, then {@code KeycloakTestResource.accessToken("takahashi", "Takahashi-pass-1")}.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code keycloak.dist.dir} (required) - directory the zip was unpacked into; either the
 *       Keycloak home itself or its parent containing {@code keycloak-<version>/}.</li>
 *   <li>{@code keycloak.log.file} (optional) - default {@code target/keycloak.log}.</li>
 *   <li>{@code keycloak.startup.timeout.seconds} (optional) - default 180.</li>
 *   <li>{@code keycloak.fresh} (optional, {@code true}) - always wipe Keycloak's dev H2 DB before start.
 *       Without it the DB is wiped only when the realm JSON changed (an existing realm is never
 *       re-imported by {@code --import-realm}).</li>
 * </ul>
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "mailgov";
    public static final String CLIENT_ID = "mailgov-cli";
    static final String REALM_RESOURCE = "/keycloak/mailgov-realm.json";
    static final String REALM_FILE_NAME = "mailgov-realm.json";
    static final String PID_FILE_NAME = "mailgov-test-keycloak.pid";
    static final String REALM_HASH_FILE_NAME = "mailgov-realm.sha256";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** e.g. {@code http://127.0.0.1:41234}; set while an instance started by this class is running. */
    private static volatile String baseUrl;

    private Process process;
    private Path home;
    private Thread shutdownHook;

    // ------------------------------------------------------------------ lifecycle

    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        home = locateHome();
        Path logFile = Paths.get(System.getProperty("keycloak.log.file", "target/keycloak.log")).toAbsolutePath();
        long timeoutSeconds = Long.getLong("keycloak.startup.timeout.seconds", 180L);
        try {
            killStaleInstance(home);
            prepareRealmImport(home);
            Files.createDirectories(logFile.getParent());

            int port = freePort();
            Path kcSh = home.resolve("bin/kc.sh");
            if (!Files.isExecutable(kcSh)) {
                kcSh.toFile().setExecutable(true); // unpack may lose the exec bit
            }
            ProcessBuilder pb = new ProcessBuilder(List.of(
                    "/bin/sh", kcSh.toString(), "start-dev",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--hostname-strict=false",
                    "--import-realm",
                    "--cache=local",
                    "--health-enabled=false",
                    "--metrics-enabled=false"))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            Map<String, String> env = pb.environment();
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", randomPassword());
            env.put("JAVA_HOME", System.getProperty("java.home")); // same JDK as the tests
            env.remove("JAVA_OPTS"); // keep kc.sh defaults (-Xms64m -Xmx512m, G1)
            env.remove("KC_DB");
            env.remove("KC_HOSTNAME");

            process = pb.start();
            // "<keycloak pid> <owning JVM pid>" - lets a later run clean up after a crashed test JVM.
            Files.writeString(home.resolve("data/" + PID_FILE_NAME),
                    process.pid() + " " + ProcessHandle.current().pid());
            shutdownHook = new Thread(this::stopQuietly, "keycloak-test-resource-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);

            String url = "http://127.0.0.1:" + port;
            waitUntilReady(url, timeoutSeconds, logFile);
            baseUrl = url;
            System.out.printf("[KeycloakTestResource] Keycloak ready at %s (pid %d) in %d ms, log: %s%n",
                    url, process.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), logFile);

            return Map.of(
                    "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", url + "/realms/" + REALM,
                    "quarkus.oidc.client-id", CLIENT_ID,
                    "quarkus.keycloak.devservices.enabled", "false");
        } catch (IOException e) {
            stopQuietly();
            throw new UncheckedIOException("Could not start Keycloak from " + home, e);
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
    }

    @Override
    public void stop() {
        Process p = process;
        process = null;
        baseUrl = null;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // JVM already shutting down
            }
            shutdownHook = null;
        }
        if (p != null) {
            killTree(p.toHandle());
            try {
                Files.deleteIfExists(home.resolve("data/" + PID_FILE_NAME));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ helpers for tests

    /** Base URL of the running instance, e.g. {@code http://127.0.0.1:41234}. */
    public static String baseUrl() {
        String url = baseUrl;
        if (url == null) {
            throw new IllegalStateException("Keycloak is not running (KeycloakTestResource not started)");
        }
        return url;
    }

    /** {@code http://127.0.0.1:<port>/realms/mailgov}. */
    public static String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** Resource-owner password grant against the {@code mailgov-cli} public client; returns the raw access token. */
    /** A service account's token (OIDC client credentials), as a ticketing system would get one. */
    public static String clientCredentialsToken(String clientId, String secret) {
        return token("grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret), clientId);
    }

    public static String accessToken(String username, String password) {
        return accessToken(CLIENT_ID, username, password);
    }

    /** A user's token issued to {@code clientId} (password grant of a public client). */
    public static String accessToken(String clientId, String username, String password) {
        return token("grant_type=password"
                + "&client_id=" + enc(clientId)
                + "&username=" + enc(username)
                + "&password=" + enc(password)
                + "&scope=openid", username);
    }

    private static String token(String form, String username) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("Token request for '" + username + "' failed: HTTP "
                        + resp.statusCode() + " " + resp.body());
            }
            JsonNode token = JSON.readTree(resp.body()).get("access_token");
            if (token == null || !token.isTextual()) {
                throw new IllegalStateException("No access_token in response: " + resp.body());
            }
            return token.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ internals

    static Path locateHome() {
        String dir = System.getProperty("keycloak.dist.dir");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("System property 'keycloak.dist.dir' is not set "
                    + "(configure it in maven-surefire-plugin systemPropertyVariables)");
        }
        Path base = Paths.get(dir).toAbsolutePath().normalize();
        if (Files.isRegularFile(base.resolve("bin/kc.sh"))) {
            return base;
        }
        if (Files.isDirectory(base)) {
            try (Stream<Path> children = Files.list(base)) {
                Optional<Path> nested = children
                        .filter(p -> p.getFileName().toString().startsWith("keycloak-"))
                        .filter(p -> Files.isRegularFile(p.resolve("bin/kc.sh")))
                        .max(Comparator.comparing(Path::toString));
                if (nested.isPresent()) {
                    return nested.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No Keycloak distribution (bin/kc.sh) found in " + base
                + " - did maven-dependency-plugin unpack keycloak-quarkus-dist?");
    }

    private static void prepareRealmImport(Path home) throws IOException {
        byte[] realm;
        try (InputStream in = KeycloakTestResource.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Test classpath resource " + REALM_RESOURCE + " not found");
            }
            realm = in.readAllBytes();
        }
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        Path tmp = importDir.resolve(REALM_FILE_NAME + ".tmp");
        Files.write(tmp, realm);
        Files.move(tmp, importDir.resolve(REALM_FILE_NAME), StandardCopyOption.REPLACE_EXISTING);

        // --import-realm skips realms that already exist in the dev H2 DB, so wipe the DB when the
        // realm definition changed (or when asked to) to keep tests deterministic.
        String hash = sha256(realm);
        Path hashFile = home.resolve("data/" + REALM_HASH_FILE_NAME);
        String previous = Files.exists(hashFile) ? Files.readString(hashFile).trim() : "";
        if (Boolean.getBoolean("keycloak.fresh") || !hash.equals(previous)) {
            deleteRecursively(home.resolve("data/h2"));
        }
        Files.writeString(hashFile, hash);
    }

    /**
     * An instance left behind by a crashed/killed test JVM would keep holding the H2 lock of this dist dir:
     * kill it. If the JVM that started it is still alive, another test run is using this dist dir - fail
     * fast instead of touching its process.
     */
    private static void killStaleInstance(Path home) throws IOException {
        Path pidFile = home.resolve("data/" + PID_FILE_NAME);
        if (!Files.exists(pidFile)) {
            return;
        }
        String[] parts = Files.readString(pidFile).trim().split("\\s+");
        long pid;
        long owner;
        try {
            pid = Long.parseLong(parts[0]);
            owner = parts.length > 1 ? Long.parseLong(parts[1]) : -1L;
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> kc = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        // Guard against PID reuse: only a process tree launched from this dist dir counts.
        boolean ours = kc.map(ph -> Stream.concat(Stream.of(ph), ph.descendants())
                .anyMatch(h -> h.info().commandLine().map(cmd -> cmd.contains(home.toString())).orElse(false)))
                .orElse(false);
        if (ours) {
            boolean ownerAlive = owner > 0 && owner != ProcessHandle.current().pid()
                    && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
            if (ownerAlive) {
                throw new IllegalStateException("Keycloak in " + home + " (pid " + pid
                        + ") is in use by another running JVM (pid " + owner + "); use a separate keycloak.dist.dir");
            }
            System.out.println("[KeycloakTestResource] killing stale Keycloak pid " + pid + " left by dead JVM " + owner);
            killTree(kc.get());
        }
        Files.deleteIfExists(pidFile);
    }

    /** Descendants first (deepest first), then the process itself; SIGTERM, then SIGKILL after a grace period. */
    static void killTree(ProcessHandle root) {
        for (int round = 0; round < 3; round++) { // kc.sh may re-exec java (exit code 10) - re-scan
            List<ProcessHandle> victims = root.descendants().collect(Collectors.toCollection(ArrayList::new));
            java.util.Collections.reverse(victims);
            victims.add(root);
            victims.removeIf(h -> !h.isAlive());
            if (victims.isEmpty()) {
                return;
            }
            victims.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : victims) {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                    try {
                        h.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception ignored) {
                        // give up on this one
                    }
                }
            }
        }
    }

    private void waitUntilReady(String url, long timeoutSeconds, Path logFile) {
        URI wellKnown = URI.create(url + "/realms/" + REALM + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before becoming ready. Log tail:\n" + tail(logFile));
            }
            try {
                HttpResponse<Void> resp = HTTP.send(
                        HttpRequest.newBuilder(wellKnown).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // connection refused while starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Keycloak not ready within " + timeoutSeconds + " s at " + wellKnown
                + ". Log tail:\n" + tail(logFile));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return "Kc-" + HexFormat.of().formatHex(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }
}
