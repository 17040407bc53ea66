package com.mailgov.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private OpenLDAP (Debian's slapd) on 127.0.0.1: its own slapd.conf, database and pid file in a
 * fresh directory under target/, a free port (and optionally TLS from a test CA), loaded with
 * ldapadd; stopped by its PID. The schema
 * is core + cosine + inetOrgPerson plus a small stand-in for Active Directory's
 * {@code proxyAddresses} and {@code accountExpires} (auxiliary class {@code adLikeUser}).
 *
 * <pre>
 * try (Slapd ldap = Slapd.start()) {
 *     ldap.add(Slapd.entry("uid=tanaka,ou=people," + Slapd.SUFFIX, ...));
 *     ldap.url();   // ldap://127.0.0.1:PORT
 * }
 * </pre>
 */
public final class Slapd implements AutoCloseable {

    public static final String SUFFIX = "dc=corp,dc=example";
    public static final String ROOT_DN = "cn=admin," + SUFFIX;
    /** A read-only service account mailgov binds as (slapd's default access: everyone reads). */
    public static final String READER_DN = "cn=mailgov-reader," + SUFFIX;
    public static final String READER_PASSWORD = "reader-secret-1";
    private static final String ROOT_PASSWORD = "slapd-root-secret";
    private static final String SCHEMA = """
            attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'proxyAddresses'
              EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
              SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
            attributetype ( 1.3.6.1.4.1.55555.1.2 NAME 'accountExpires'
              EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
            objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'adLikeUser' SUP top AUXILIARY
              MAY ( proxyAddresses $ accountExpires ) )
            """;

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final long pid;

    private Slapd(Path dir, int port, int tlsPort, long pid) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.pid = pid;
    }

    /** Plain LDAP only. */
    public static Slapd start() throws IOException, InterruptedException {
        return start(false);
    }

    /**
     * With {@code tls}: a test CA (openssl) signs a certificate for IP 127.0.0.1 only, and slapd
     * offers StartTLS on {@link #url()} and LDAPS on {@link #ldapsUrl()}; {@link #caPem()} is the CA.
     */
    public static Slapd start(boolean tls) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "slapd-");
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("ad-like.schema"), SCHEMA);
        List<String> tlsConfig = tls ? certificates(dir) : List.of();
        Files.writeString(dir.resolve("slapd.conf"), String.join("\n", tlsConfig) + "\n" + String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "include " + dir.resolve("ad-like.schema"),
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                "database mdb",
                "maxsize 16777216",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ROOT_DN + "\"",
                "rootpw " + ROOT_PASSWORD,
                "directory " + dir.resolve("db"),
                ""));
        int port = PackagedService.freePort();
        int tlsPort = tls ? PackagedService.freePort() : 0;
        String listen = "ldap://127.0.0.1:" + port + "/" + (tls ? " ldaps://127.0.0.1:" + tlsPort + "/" : "");
        List<String> command = new ArrayList<>(List.of("slapd", "-h", listen, "-f", dir.resolve("slapd.conf").toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "root"));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("slapd.out").toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("slapd did not start: " + Files.readString(dir.resolve("slapd.out")));
        }
        long pid = awaitPid(dir.resolve("slapd.pid"));
        Slapd slapd = new Slapd(dir, port, tlsPort, pid);
        slapd.awaitPort(port);
        if (tls) {
            slapd.awaitPort(tlsPort);
        }
        slapd.add(entry(SUFFIX, "objectClass: dcObject", "objectClass: organization", "dc: corp", "o: Corp"),
                entry(READER_DN, "objectClass: person", "objectClass: simpleSecurityObject", "cn: mailgov-reader",
                        "sn: reader", "userPassword: " + READER_PASSWORD));
        return slapd;
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    public String ldapsUrl() {
        return "ldaps://127.0.0.1:" + tlsPort;
    }

    public String caPem() throws IOException {
        return Files.readString(dir.resolve("ca.pem"));
    }

    /** A test CA and a server certificate for IP 127.0.0.1 (no host name), and slapd's TLS settings for them. */
    private static List<String> certificates(Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=mailgov test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
        return List.of("TLSCACertificateFile " + dir.resolve("ca.pem"), "TLSCertificateFile " + dir.resolve("server.pem"),
                "TLSCertificateKeyFile " + dir.resolve("server.key"));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    public long pid() {
        return pid;
    }

    /** An LDIF record; {@code "attr: value"} lines with non-ASCII values are written base64 ({@code attr:: …}). */
    public static String entry(String dn, String... lines) {
        StringBuilder b = new StringBuilder(line("dn", dn));
        for (String l : lines) {
            int colon = l.indexOf(": ");
            b.append(line(l.substring(0, colon), l.substring(colon + 2)));
        }
        return b.toString();
    }

    private static String line(String attribute, String value) {
        boolean ascii = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return ascii ? attribute + ": " + value + "\n"
                : attribute + ":: " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    public void add(String... records) throws IOException, InterruptedException {
        tool("ldapadd", String.join("\n", records));
    }

    /** Applies LDIF change records (changetype: modify / delete). */
    public void modify(String ldif) throws IOException, InterruptedException {
        tool("ldapmodify", ldif);
    }

    public void delete(String dn) throws IOException, InterruptedException {
        modify("dn: " + dn + "\nchangetype: delete\n");
    }

    private void tool(String name, String ldif) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, name, ".ldif");
        Files.writeString(file, ldif, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(name, "-x", "-H", url(), "-D", ROOT_DN, "-w", ROOT_PASSWORD, "-f", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " failed: " + out);
        }
    }

    /** Stops slapd by its PID and removes its directory. */
    @Override
    public void close() throws IOException {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static long awaitPid(Path pidFile) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(pidFile)) {
                String text = Files.readString(pidFile).trim();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("slapd wrote no pid file " + pidFile);
    }

    private void awaitPort(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("slapd does not listen on 127.0.0.1:" + port);
    }
}
