package com.mailgov.bench;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.PackagedService;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark of an import from the real stack (not a test): N mailboxes with their own Sieve scripts
 * (Dovecot, listed over the doveadm HTTP API), 2N aliases (Postfix pgsql table) and N/10 Mailman lists
 * with 3 members each, imported by the packaged service (-Xmx256m, as PackagedService starts it).
 * Reports each server's import time, the wall time of all three (end to end), the service's CPU time and peak RSS, and
 * the load average. Run with bench/import.sh (root: the stack).
 */
public final class ImportBenchmark {

    private static final String D = "corp.example";
    private static final String LD = "lists.corp.example";
    private static final String PW = "bench-admin-pw-1";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int aliases = 2 * n;
        // Mailman creates lists one at a time (one REST runner, a postmap after each): on a loaded VM 1,000 take
        // longer than the rest of the run, so the number of lists can be chosen
        int lists = args.length > 1 ? Integer.parseInt(args[1]) : n / 10;
        String pg = System.getenv().getOrDefault("BENCH_PG", "127.0.0.1:5432");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String appDb = "mailgov_importbench_" + suffix;
        String aliasDb = "mailstack_importbench_" + suffix;
        String admin = "jdbc:postgresql://" + pg + "/postgres";
        MailStack stack = null;
        PackagedService app = null;
        Path data = Files.createTempDirectory("mailgov-import-bench");
        try (Connection c = DriverManager.getConnection(admin, "postgres", null)) {
            c.createStatement().execute("CREATE DATABASE " + appDb);
            c.createStatement().execute("CREATE DATABASE " + aliasDb);
        }
        try {
            long t = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg + "/" + aliasDb, "postgres", null)) {
                c.createStatement().execute("CREATE TABLE virtual_alias (source text PRIMARY KEY, destination text NOT NULL, "
                        + "enabled boolean NOT NULL DEFAULT true)");
                c.createStatement().execute("INSERT INTO virtual_alias (source, destination) SELECT 'alias' || i || '@" + D + "', "
                        + "CASE WHEN i % 5 = 0 THEN 'user' || (i % " + n + ") || '@" + D + ", user' || ((i + 1) % " + n + ") || '@" + D
                        + "' ELSE 'user' || (i % " + n + ") || '@" + D + "' END FROM generate_series(0, " + (aliases - 1) + ") i");
            }
            stack = MailStack.start(true, Map.of("MAILSTACK_PGSQL_ALIASES", "1", "MAILSTACK_PG_DB", aliasDb,
                    "MAILSTACK_PG_HOST", pg.substring(0, pg.indexOf(':')), "MAILSTACK_PG_PORT", pg.substring(pg.indexOf(':') + 1),
                    "MAILSTACK_MM_WORKERS", "2")); // Mailman's REST server as Debian configures it
            List<String> boxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boxes.add("user" + i + "@" + D);
            }
            stack.addUsers(boxes, false);
            // ManageSieve process reuse, as docs/benchmarks.md and the README ask of a production Dovecot for bulk work
            stack.appendDovecotConfig("service managesieve-login {\n  service_count = 0\n  process_min_avail = 2\n}\n"
                    + "service managesieve {\n  service_count = 1000\n  process_min_avail = 8\n}\n");
            writeScripts(stack, boxes);
            System.out.printf("setup: %d aliases, %d mailboxes with scripts: %.1f s%n", aliases, n, secs(t));
            t = System.nanoTime();
            createLists(stack, lists, n);
            System.out.printf("setup: %d Mailman lists with 3 members each: %.1f s%n", lists, secs(t));

            Path secrets = Files.createDirectories(data.resolve("secrets"));
            Files.writeString(secrets.resolve("sieve"), stack.env("SIEVE_MASTER_PASSWORD"));
            Files.writeString(secrets.resolve("doveadm"), stack.env("DOVEADM_API_KEY"));
            Files.writeString(secrets.resolve("mailman"), stack.env("MAILMAN_REST_PASS"));
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + pg + "/" + appDb);
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            env.put("MAILGOV_ADMIN_PASSWORD", PW);
            env.put("MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false");
            env.put("MAILGOV_PUSH_DRIFT_CHECK_INTERVAL", "PT1H");
            env.put("MAILGOV_INTERNAL_DOMAINS", D + "," + LD);
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            env.put("QUARKUS_LOG_CATEGORY__COM_MAILGOV_ADOPTION__LEVEL", "INFO"); // each import's read and propose times
            String javaOptions = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").strip(); // e.g. a flight recording
            app = PackagedService.launch(data, env, javaOptions.isEmpty() ? List.of() : List.of(javaOptions.split("\\s+")))
                    .awaitReady(Duration.ofSeconds(300));
            RestAssured.baseURI = "http://127.0.0.1";
            RestAssured.port = app.port();
            int dovecot = register(Map.of("name", "dovecot", "kind", "DOVECOT_MANAGESIEVE",
                    "endpoint", "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), "username", stack.env("SIEVE_MASTER_USER"),
                    "credentialRef", "file:" + secrets.resolve("sieve"), "options", Map.of("mailboxSource", "doveadm",
                            "doveadmUrl", stack.env("DOVEADM_HTTP_URL"), "doveadmKeyRef", "file:" + secrets.resolve("doveadm"))));
            int postfix = register(Map.of("name", "postfix", "kind", "POSTFIX_PGSQL", "endpoint", "postgresql://" + pg + "/" + aliasDb,
                    "username", "postgres"));
            int mailman = register(Map.of("name", "mailman", "kind", "MAILMAN", "endpoint", stack.env("MAILMAN_REST_URL"),
                    "username", stack.env("MAILMAN_REST_USER"), "credentialRef", "file:" + secrets.resolve("mailman")));

            // The three servers are imported at the same time, as an admin may (one import per server at a
            // time is the service's only rule); BENCH_IMPORT_SEQUENTIAL=1 imports them one after the other.
            boolean sequential = "1".equals(System.getenv("BENCH_IMPORT_SEQUENTIAL"));
            long cpu0 = cpuMillis(app.pid());
            long wall0 = System.nanoTime();
            ExecutorService imports = Executors.newFixedThreadPool(sequential ? 1 : 3);
            List<Future<String>> results = new ArrayList<>();
            int[] proposed = new int[1];
            for (int server : new int[]{dovecot, postfix, mailman}) {
                results.add(imports.submit(() -> {
                    long s = System.nanoTime();
                    JsonPath r = admin().body(Map.of("rules", List.of())).post("/api/v1/mail-servers/{id}/import", server).then()
                            .statusCode(200).extract().jsonPath();
                    synchronized (proposed) {
                        proposed[0] += r.getInt("proposed");
                    }
                    Map<String, Integer> reasons = new TreeMap<>();
                    for (String reason : r.<String>getList("problems.reason")) {
                        reasons.merge(reason.replaceAll("[\\w.+-]+@[\\w.-]+", "<address>"), 1, Integer::sum);
                    }
                    return String.format("import %-8s read %6d, proposed %6d in %3d requests, %d problems: %.1f s%s", r.getString("server"),
                            r.getInt("read"), r.getInt("proposed"), r.getList("requests").size(), r.getList("problems").size(), secs(s),
                            reasons.isEmpty() ? "" : "\n         problems by reason: " + reasons);
                }));
            }
            for (Future<String> r : results) {
                System.out.println(r.get());
            }
            imports.shutdown();
            double total = secs(wall0);
            long cpu = cpuMillis(app.pid()) - cpu0;
            System.out.printf("import end to end (" + (sequential ? "one server after the other" : "the three servers at once")
                            + "): %.1f s for %d objects (target <= 60 s: %s); service CPU %.1f s; peak RSS %d MiB "
                            + "(Helm limit 768 MiB); load average %s%n", total, proposed[0], total <= 60 ? "met" : "NOT met", cpu / 1000.0,
                    peakRssMiB(app.pid()), Files.readString(Path.of("/proc/loadavg")).trim());
            long s = System.nanoTime();
            JsonPath report = admin().get("/api/v1/risk-report").then().statusCode(200).extract().jsonPath();
            System.out.printf("risk report after the import: %d risks, %d unmanaged responders: %.1f s%n",
                    report.getList("risks").size(), report.getList("unmanagedResponders").size(), secs(s));
            app.log().lines().filter(l -> l.contains("Import of server")).map(l -> "service: " + l.substring(l.indexOf("Import of")))
                    .forEach(System.out::println);
        } finally {
            if (app != null) {
                app.close();
            }
            if (stack != null) {
                stack.stop();
            }
            try (Connection c = DriverManager.getConnection(admin, "postgres", null)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + appDb + " WITH (FORCE)");
                c.createStatement().execute("DROP DATABASE IF EXISTS " + aliasDb + " WITH (FORCE)");
            }
        }
    }

    /** On disk as a user's client would leave them (Dovecot's sieve = file:~/sieve;active=~/.dovecot.sieve). */
    private static void writeScripts(MailStack stack, List<String> boxes) throws Exception {
        UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        UserPrincipal mail = users.lookupPrincipalByName("mail");
        GroupPrincipal group = users.lookupPrincipalByGroupName("mail");
        for (int i = 0; i < boxes.size(); i++) {
            Path home = stack.maildir(boxes.get(i)).getParent();
            boolean newDomain = !Files.isDirectory(home.getParent());
            Path dir = Files.createDirectories(home.resolve("sieve"));
            if (newDomain) { // made as root here: Dovecot (as mail) must still create the homes of the stack's own users
                Files.getFileAttributeView(home.getParent(), PosixFileAttributeView.class).setOwner(mail);
            }
            String text = switch (i % 4) {
                case 0 -> "require [\"vacation\"];\nvacation :days 7 :subject \"不在\" \"不在です。\";\n";
                case 1 -> "require [\"enotify\"];\nnotify :message \"new mail\" \"mailto:pager-" + i + "@partner.example\";\n";
                default -> "require [\"fileinto\"];\nif header :contains \"subject\" \"report\" { fileinto \"Work\"; }\n";
            };
            Path script = dir.resolve("own.sieve");
            Files.writeString(script, text, StandardCharsets.UTF_8);
            Path link = home.resolve(".dovecot.sieve");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("sieve/own.sieve"));
            for (Path p : List.of(home, dir, script)) {
                PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                v.setOwner(mail);
                v.setGroup(group);
            }
            Files.getFileAttributeView(link, PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(mail);
        }
    }

    private static void createLists(MailStack stack, int lists, int mailboxes) throws Exception {
        MailServerTarget target = new MailServerTarget("setup", ServerKind.MAILMAN, stack.env("MAILMAN_REST_URL"),
                stack.env("MAILMAN_REST_USER"), stack.env("MAILMAN_REST_PASS"), Map.of());
        try (MailmanConnector first = new MailmanConnector(target)) {
            // list 0 through REST: it creates the list domain too
            Map<ArtifactKey, String> list0 = new TreeMap<>(Map.of(ArtifactKey.list("list0@" + LD), MailmanConnector.listContent("List 0", true, false)));
            for (int m = 0; m < 3; m++) {
                list0.put(ArtifactKey.listMember("list0@" + LD, "user" + (m % mailboxes) + "@" + D), "");
            }
            first.apply(list0);
        }
        // the other lists in one Mailman process (src/test/resources/bench/mailman_bulk_lists.py): through
        // REST, one list at a time with a map rebuild after each, 1,000 lists took 11 minutes to set up
        if (lists > 1) {
            Path script = Files.createTempFile("mailman-bulk", ".py");
            try (var in = ImportBenchmark.class.getResourceAsStream("/bench/mailman_bulk_lists.py")) {
                Files.write(script, in.readAllBytes());
            }
            script.toFile().setReadable(true, false);
            Path mm = Path.of(stack.env("MAILSTACK_DIR"), "mailman");
            Process p = new ProcessBuilder("runuser", "-u", "list", "--", "env", "HOME=" + mm.resolve("var"), "LC_ALL=C.UTF-8",
                    "python3", script.toString(), mm.resolve("mailman.cfg").toString(), LD, D, "1", Integer.toString(lists - 1),
                    Integer.toString(mailboxes)).directory(mm.resolve("var").toFile()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bulk list set-up failed: exit " + p.exitValue());
            }
            Files.delete(script);
        }
    }

    private static int register(Map<String, Object> body) {
        return admin().body(body).post("/api/v1/mail-servers").then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification admin() {
        return RestAssured.given().auth().preemptive().basic("admin", PW).contentType(ContentType.JSON);
    }

    private static long cpuMillis(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime + stime, in 100 Hz ticks
    }

    private static long peakRssMiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
