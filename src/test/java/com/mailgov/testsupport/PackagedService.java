package com.mailgov.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service (target/quarkus-app) as its own process on a free loopback port, for ITs. */
public final class PackagedService implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it with these environment variables; does not wait (see {@link #awaitReady}). */
    public static PackagedService launch(Path dataDir, Map<String, String> env) throws IOException {
        return launch(dataDir, env, java.util.List.of());
    }

    /** The same, with more JVM options after the default heap limit (e.g. a benchmark's flight recording). */
    public static PackagedService launch(Path dataDir, Map<String, String> env, java.util.List<String> jvmOptions) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(java.util.List.of("-jar", jar.toString()));
        return start(new ProcessBuilder(command), dataDir, env);
    }

    /**
     * Starts it as README command 1 does: through the launcher the build puts beside the jar
     * ({@code target/quarkus-app/mailgov}: its JVM options and class-data archive), with
     * {@code javaOptions} as JAVA_OPTS.
     */
    public static PackagedService launchAsReadme(Path dataDir, Map<String, String> env, String javaOptions) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of("target", "quarkus-app", "mailgov").toAbsolutePath().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", javaOptions);
        return start(pb, dataDir, env);
    }

    private static PackagedService start(ProcessBuilder pb, Path dataDir, Map<String, String> env) throws IOException {
        Files.createDirectories(dataDir);
        int port = freePort();
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("MAILGOV_DATA_DIR", dataDir.toString());
        Path log = dataDir.resolve("service.log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new PackagedService(pb.start(), port, log);
    }

    public PackagedService awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service not ready within " + timeout.toSeconds() + " s: " + log());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL to this process (by its PID) and wait until it is gone: a crash, no shutdown hooks. */
    public void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM and wait: a normal stop. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The environment of a packaged service with the loop guard on {@code guardPort}: this database
     * (PostgresTestResource's properties), this admin password, the company domain corp.example,
     * no default file server. Mutable, for more settings.
     */
    public static Map<String, String> guardEnv(Map<String, String> db, String adminPassword, int guardPort) {
        return new java.util.HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", db.get("quarkus.datasource.jdbc.url"),
                "QUARKUS_DATASOURCE_USERNAME", db.get("quarkus.datasource.username"),
                "QUARKUS_DATASOURCE_PASSWORD", db.get("quarkus.datasource.password"),
                "MAILGOV_ADMIN_PASSWORD", adminPassword,
                "MAILGOV_INTERNAL_DOMAINS", "corp.example",
                "MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false",
                "MAILGOV_GUARD_ENABLED", "true",
                "MAILGOV_GUARD_PORT", Integer.toString(guardPort)));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
