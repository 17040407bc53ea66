package com.mailgov.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix + Dovecot (+ Mailman 3) on 127.0.0.1, run by src/test/mailstack/stack.sh in a
 * fresh directory under /tmp (stack.sh wants every parent world-traversable, which @TempDir under
 * /root is not). Ports come from DIR/ports.env because busy defaults move. Starts are serialised
 * across JVMs with a file lock: stack.sh's port picking is not atomic.
 *
 * <pre>
 * MailStack stack = MailStack.start(false);   // false: no Mailman (~3 s instead of ~20 s)
 * stack.send("suzuki@corp.example", "takahashi@corp.example", raw);
 * stack.awaitMessages("takahashi", 1, Duration.ofSeconds(20));
 * stack.stop();
 * </pre>
 * Keep the directory after stop (for its logs) with {@code -Dmailstack.keep=true}.
 */
public final class MailStack {

    private static final Path SCRIPT = Path.of("src/test/mailstack/stack.sh").toAbsolutePath();
    private static final Path START_LOCK = Path.of("/tmp/mailgov-mailstack-start.lock");

    private final Path dir;
    private final Map<String, String> env;
    private boolean stopped;

    private MailStack(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /** Installs the packages if needed, then starts a stack in a new directory; fails with stack.sh's output. */
    public static MailStack start(boolean mailman) throws IOException, InterruptedException {
        return start(mailman, Map.of());
    }

    /** With more of stack.sh's MAILSTACK_* settings, e.g. MAILSTACK_PGSQL_ALIASES=1. */
    public static MailStack start(boolean mailman, Map<String, String> settings) throws IOException, InterruptedException {
        return startIn(Files.createTempDirectory(Path.of("/tmp"), "mailgov-stack-"), mailman, settings);
    }

    /** In a directory chosen beforehand (e.g. named in the service's configuration before the stack runs). */
    public static MailStack startIn(Path dir, boolean mailman, Map<String, String> settings) throws IOException, InterruptedException {
        MailTools.ensureInstalled();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        try (FileChannel ch = FileChannel.open(START_LOCK, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
            ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "start", dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(settings);
            pb.environment().put("MAILSTACK_MAILMAN", mailman ? "1" : "0");
            Process p = pb.start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                run("stop", dir, Duration.ofSeconds(60));
                throw new IllegalStateException("stack.sh start timed out; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("stack.sh start failed (rc " + p.exitValue() + "):\n" + tail(log));
            }
        }
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("ports.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new MailStack(dir, env);
    }

    public Path dir() {
        return dir;
    }

    /** A value of ports.env (e.g. MAILMAN_REST_URL, SIEVE_MASTER_PASSWORD); fails if missing. */
    public String env(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key + " in " + dir.resolve("ports.env"));
        }
        return v;
    }

    /** A port of ports.env, e.g. SMTP_PORT, MANAGESIEVE_PORT. */
    public int port(String key) {
        return Integer.parseInt(env(key));
    }

    /** The Maildir of {@code user} ("takahashi" or "takahashi@corp.example"). */
    public Path maildir(String user) {
        String address = user.contains("@") ? user : user + "@" + env("MAIL_DOMAIN");
        int at = address.indexOf('@');
        return Path.of(env("MAILDIR_ROOT"), address.substring(at + 1), address.substring(0, at), "Maildir");
    }

    /**
     * Adds mailbox users to Dovecot by copying the line of an existing user; {@code deliverable} also
     * adds them to Postfix's vmailbox map and reloads Postfix. Waits 1.1 s: Dovecot re-reads a
     * changed passwd-file at most once a second, so a login right after the edit could miss them.
     */
    public synchronized void addUsers(List<String> addresses, boolean deliverable) throws IOException, InterruptedException {
        Path users = Path.of(env("DOVECOT_USERS_FILE"));
        String template = Files.readAllLines(users).get(0);
        String rest = template.substring(template.indexOf(':'));
        StringBuilder add = new StringBuilder();
        StringBuilder vmailbox = new StringBuilder();
        for (String a : addresses) {
            add.append(a).append(rest).append('\n');
            int at = a.indexOf('@');
            vmailbox.append(a).append(' ').append(a.substring(at + 1)).append('/').append(a, 0, at).append("/Maildir/\n");
        }
        Files.writeString(users, add.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        if (deliverable) {
            Files.writeString(Path.of(env("POSTFIX_VMAILBOX_MAP")), vmailbox.toString(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            reload();
        }
        Thread.sleep(1100);
    }

    /**
     * Appends to the generated dovecot.conf and reloads Dovecot (until the next start, which
     * regenerates the file). E.g. process reuse for benchmarks.
     */
    public void appendDovecotConfig(String snippet) throws IOException, InterruptedException {
        Path conf = Path.of(env("DOVECOT_CONFIG"));
        Files.writeString(conf, "\n" + snippet + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder("doveadm", "-c", conf.toString(), "reload").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("doveadm reload failed");
        }
        Thread.sleep(500); // new processes come up
    }

    /** Stops only Dovecot (a mail server outage); {@link #startDovecot()} brings it back. */
    public void stopDovecot() throws IOException, InterruptedException {
        Path pidFile = Path.of(env("DOVECOT_CONFIG")).resolveSibling("run").resolve("master.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: Dovecot's master stops its children
        long deadline = System.currentTimeMillis() + 20_000;
        while ((ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || Files.exists(pidFile)
                || listening(port("MANAGESIEVE_PORT"))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    public void startDovecot() throws IOException, InterruptedException {
        // the stopped master may still be cleaning up: a start right then is refused; try for 20 s
        long deadline = System.currentTimeMillis() + 20_000;
        String output = "";
        while (System.currentTimeMillis() < deadline) {
            // output to a file, never a pipe: the daemon keeps the descriptors open after the start returns
            Path out = Files.createTempFile(dir, "dovecot-start", ".log");
            Process p = new ProcessBuilder("dovecot", "-c", env("DOVECOT_CONFIG"))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            output = Files.readString(out);
            if (done && p.exitValue() == 0) {
                long ready = System.currentTimeMillis() + 10_000;
                while (!listening(port("MANAGESIEVE_PORT")) && System.currentTimeMillis() < ready) {
                    Thread.sleep(100);
                }
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("dovecot did not start again: " + output);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** postmap + postfix reload (after alias map edits and after Mailman created or deleted lists). */
    public void reload() throws IOException, InterruptedException {
        run("reload", dir, Duration.ofSeconds(60));
    }

    /** Stops what start started; idempotent. Deletes the directory unless -Dmailstack.keep=true. */
    public synchronized void stop() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        run("stop", dir, Duration.ofSeconds(120));
        if (!Boolean.getBoolean("mailstack.keep")) {
            deleteTree(dir);
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".log"));
        }
    }

    /**
     * Sends one message by plain SMTP to the stack's Postfix. {@code rawMessage} is headers + body;
     * line ends become CRLF, lines starting with "." are dot-stuffed, bytes are UTF-8 (8BITMIME).
     * Throws if Postfix refuses (e.g. an unknown recipient).
     */
    public void send(String from, String to, String rawMessage) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port("SMTP_PORT")), 10_000);
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            expect(in, 220, "greeting");
            smtp(out, in, "EHLO client.test", 250);
            smtp(out, in, "MAIL FROM:<" + from + "> BODY=8BITMIME", 250);
            smtp(out, in, "RCPT TO:<" + to + ">", 250);
            smtp(out, in, "DATA", 354);
            StringBuilder data = new StringBuilder();
            String normalised = rawMessage.replace("\r\n", "\n").replace('\r', '\n');
            if (normalised.endsWith("\n")) {
                normalised = normalised.substring(0, normalised.length() - 1);
            }
            for (String line : normalised.split("\n", -1)) {
                data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            }
            data.append(".\r\n");
            out.write(data.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(in, 250, "end of data");
            smtp(out, in, "QUIT", 221);
        }
    }

    private static void smtp(OutputStream out, BufferedReader in, String command, int code) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, code, command);
    }

    private static void expect(BufferedReader in, int code, String what) throws IOException {
        StringBuilder reply = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("SMTP connection closed after " + what);
            }
            reply.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(Integer.toString(code))) {
            throw new IOException("SMTP " + what + ": " + reply.toString().strip());
        }
    }

    /**
     * Waits (bounded) until the user's Maildir holds at least {@code count} messages and returns
     * all of them, oldest first — fewer if the timeout passes. Reads new/ and cur/ (cur/ only fills
     * when an IMAP client has looked).
     */
    public List<String> awaitMessages(String user, int count, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> messages = messages(user);
            if (messages.size() >= count || System.nanoTime() > end) {
                return messages;
            }
            Thread.sleep(100);
        }
    }

    /** The messages in the user's Maildir now, oldest first (delivery order by file name). */
    public List<String> messages(String user) throws IOException {
        Path maildir = maildir(user);
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = maildir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.forEach(files::add);
                }
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(Files.readString(f, StandardCharsets.UTF_8));
            } catch (NoSuchFileException moved) {
                // moved from new/ to cur/ meanwhile; seen on the next poll
            } catch (java.nio.charset.MalformedInputException e) {
                out.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    private static void run(String command, Path dir, Duration timeout) throws IOException, InterruptedException {
        // output to a file, not a pipe: a daemon inheriting the pipe would block reading it forever
        Path log = Files.createTempFile("mailstack-" + command, ".log");
        try {
            Process p = new ProcessBuilder("bash", SCRIPT.toString(), command, dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("stack.sh " + command + " timed out:\n" + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("stack.sh " + command + " failed (rc " + p.exitValue() + "):\n" + tail(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
