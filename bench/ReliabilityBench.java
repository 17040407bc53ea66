import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load and fault driver for bench/reliability.sh. It owns the mailgov process (starts it, SIGKILLs it
 * by its PID, starts it again) and stops/starts the script's own PostgreSQL with pg_ctl; it talks only
 * to 127.0.0.1. Phases (REL_PHASES, comma-separated, default all):
 *   load      N clients, mixed submit/approve/reject/read for D minutes: 0 × 5xx, audit rows = actions
 *   outage    PostgreSQL stopped for REL_OUTAGE_SECONDS under load: only 503 problems, then recovery
 *   blackhole a Mailman endpoint that accepts and never answers, beside a FILE server
 *   kill      SIGKILL under load ×REL_KILLS, restart each time: every accepted request whole, none half-written
 * After every phase the database is checked (see {@link #checkDatabase}) and the audit chain verified
 * through the API. Exit status 1 when a guarantee fails.
 *
 * Run with the PostgreSQL JDBC driver on the class path: java -cp postgresql.jar bench/ReliabilityBench.java
 */
public class ReliabilityBench {

    // ------------------------------------------------------------------ settings (environment)

    static final String JAR = env("REL_JAR", "target/quarkus-app/quarkus-run.jar");
    static final Path WORK = Path.of(env("REL_WORK", "/tmp/rel"));
    static final String PG_BIN = env("REL_PG_BIN", "/usr/lib/postgresql/15/bin");
    static final String PG_DATA = env("REL_PG_DATA", WORK.resolve("pg").toString());
    static final int PG_PORT = Integer.parseInt(env("REL_PG_PORT", "55432"));
    static final String JDBC = "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/mailgov";
    static final int CLIENTS = Integer.parseInt(env("REL_CLIENTS", "200"));
    static final double MINUTES = Double.parseDouble(env("REL_MINUTES", "10"));
    static final int OUTAGE_SECONDS = Integer.parseInt(env("REL_OUTAGE_SECONDS", "20"));
    static final int KILLS = Integer.parseInt(env("REL_KILLS", "5"));
    static final String PHASES = env("REL_PHASES", "load,outage,blackhole,kill");
    static final String JAVA_OPTS = env("REL_JAVA_OPTS", "-Xmx512m");
    static final String ADMIN_PW = "rel-admin-" + UUID.randomUUID();
    static final String PW = "rel-user-pw-" + UUID.randomUUID().toString().substring(0, 8);
    static final String MAILMAN_PW = "rel-mailman-" + UUID.randomUUID().toString().substring(0, 8);
    static final String[] DEPARTMENTS = {"REL-SALES", "REL-HR", "REL-ENG", "REL-FIN"};
    static final String[] DEPARTMENT_NAMES = {"営業部", "人事部", "技術部", "経理部"};
    static final int REQUESTERS_PER_DEPT = 2;
    static final int APPROVERS = 3;
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    /** The two clean 503s: PostgreSQL away, or it answers but not in time for this request. */
    static final String PROBLEM_UNAVAILABLE = "urn:mailgov:problem:database-unavailable";
    static final String PROBLEM_BUSY = "urn:mailgov:problem:service-busy";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    static int httpPort;
    static Process app;
    static String base;

    public static void main(String[] args) throws Exception {
        Files.createDirectories(WORK);
        httpPort = freePort();
        base = "http://127.0.0.1:" + httpPort;
        long t0 = System.nanoTime();
        startService("first start");
        setUp();
        State state = new State();
        for (String phase : PHASES.split(",")) {
            switch (phase.trim()) {
                case "load" -> loadPhase(state);
                case "outage" -> outagePhase(state);
                case "blackhole" -> blackHolePhase(state);
                case "kill" -> killPhase(state);
                default -> throw new IllegalArgumentException("unknown phase " + phase);
            }
        }
        stopService();
        System.out.printf("%n== total %.1f min; %s%n", (System.nanoTime() - t0) / 6e10, loadavg());
        if (failures.isEmpty()) {
            System.out.println("RESULT: all guarantees held");
        } else {
            System.out.println("RESULT: " + failures.size() + " guarantee(s) failed:");
            failures.forEach(f -> System.out.println("  FAIL " + f));
            System.exit(1);
        }
    }

    // ------------------------------------------------------------------ what the clients saw

    /** Everything every client was told, across phases: the database must agree with it. */
    static final class State {
        /** change request id → title, for every 201 a client got. */
        final Map<String, String> accepted = new ConcurrentHashMap<>();
        final Set<String> approved = ConcurrentHashMap.newKeySet();
        final Set<String> rejected = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> awaitingDecision = new ConcurrentLinkedQueue<>();
    }

    /** One phase's counts and latencies. */
    static final class Stats {
        final Map<String, Map<String, AtomicLong>> byOp = new ConcurrentHashMap<>();
        final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        /** Responses per second of the phase: [second] → status → count, for the outage timeline. */
        final Map<Long, Map<String, AtomicLong>> timeline = new ConcurrentHashMap<>();
        final AtomicLong unclean503 = new AtomicLong();
        /** service-busy answers per second of the phase (counted as "503" in the histogram too). */
        final Map<Long, AtomicLong> busyTimeline = new ConcurrentHashMap<>();
        final AtomicLong slowest = new AtomicLong();
        final long start = System.nanoTime();

        void count(String op, String status, long nanos) {
            byOp.computeIfAbsent(op, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
            latencies.computeIfAbsent(op, k -> Collections.synchronizedList(new ArrayList<>())).add(nanos);
            long sec = (System.nanoTime() - start) / 1_000_000_000L;
            timeline.computeIfAbsent(sec, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
            slowest.accumulateAndGet(nanos, Math::max);
        }

        void countBusy() {
            busyTimeline.computeIfAbsent((System.nanoTime() - start) / 1_000_000_000L, k -> new AtomicLong()).incrementAndGet();
        }

        long busy(long fromSecond, long toSecond) {
            return busyTimeline.entrySet().stream().filter(e -> e.getKey() >= fromSecond && e.getKey() < toSecond)
                    .mapToLong(e -> e.getValue().get()).sum();
        }

        Map<String, Long> histogram() {
            Map<String, Long> h = new TreeMap<>();
            byOp.values().forEach(m -> m.forEach((s, n) -> h.merge(s, n.get(), Long::sum)));
            return h;
        }

        long count5xx() {
            return histogram().entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToLong(Map.Entry::getValue).sum();
        }

        void print(String title, double seconds) {
            long total = histogram().values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("-- %s: %d responses in %.0f s (%.1f/s); status histogram %s (503 service-busy: %d); slowest %.0f ms%n",
                    title, total, seconds, total / seconds, histogram(), busy(0, Long.MAX_VALUE), slowest.get() / 1e6);
            new TreeMap<>(byOp).forEach((op, m) -> {
                List<Long> l = new ArrayList<>(latencies.get(op));
                Collections.sort(l);
                Map<String, Long> counts = new TreeMap<>();
                m.forEach((s, n) -> counts.put(s, n.get()));
                System.out.printf("   %-8s %6d  %s  p50=%.1f ms p99=%.1f ms%n", op, l.size(), counts,
                        l.get(l.size() / 2) / 1e6, l.get(Math.min(l.size() - 1, (int) (l.size() * 0.99))) / 1e6);
            });
        }
    }

    record Reply(String status, String body, String contentType) {
        boolean is(int code) {
            return status.equals(Integer.toString(code));
        }

        /** A clean "come back later": 503 problem+json of one of the two stable types. */
        boolean clean503() {
            return is(503) && contentType != null && contentType.startsWith("application/problem+json")
                    && (body.contains(PROBLEM_UNAVAILABLE) || busy503());
        }

        boolean busy503() {
            return is(503) && body.contains(PROBLEM_BUSY);
        }

        /**
         * A definite answer: the request was done (2xx) or refused for a reason retrying cannot fix (4xx). Not
         * "idempotency-in-flight": an earlier attempt with the key (cut off on the client's side) is still running
         * and may yet commit, so the client asks again until it gets that attempt's answer.
         */
        boolean definite() {
            return status.startsWith("2") || status.startsWith("4") && !body.contains("urn:mailgov:problem:idempotency-in-flight");
        }
    }

    // ------------------------------------------------------------------ the clients

    /**
     * One client's loop: a random operation, repeated with the same Idempotency-Key (submit) or on the
     * same request (approve/reject) until the answer is definite or the client is told to stop, so an
     * operation cut off by a fault is either done once or not at all.
     */
    static void client(State state, Stats stats, AtomicBoolean stop, long deadline, int clientNo) {
        Random rnd = ThreadLocalRandom.current();
        int n = 0;
        while (!stop.get() && System.nanoTime() < deadline) {
            n++;
            double r = rnd.nextDouble();
            String decision = r < 0.25 ? "approve" : r < 0.30 ? "reject" : null;
            String id = decision == null ? null : state.awaitingDecision.poll();
            if (id != null) {
                decide(state, stats, stop, id, decision);
            } else if (r < 0.65) {
                submit(state, stats, stop, clientNo, n);
            } else {
                read(state, stats, stop, rnd);
            }
        }
    }

    static void submit(State state, Stats stats, AtomicBoolean stop, int clientNo, int n) {
        Random rnd = ThreadLocalRandom.current();
        int d = rnd.nextInt(DEPARTMENTS.length);
        String user = "rel-req-" + d + "-" + rnd.nextInt(REQUESTERS_PER_DEPT);
        String token = UUID.randomUUID().toString().substring(0, 13);
        String title = "転送 " + clientNo + "-" + n + "-" + token;
        String body = "{\"department\":\"" + DEPARTMENTS[d] + "\",\"title\":\"" + title + "\",\"reason\":\"信頼性テスト\","
                + "\"items\":[{\"action\":\"CREATE\",\"kind\":\"FORWARD\",\"spec\":{\"source\":\"fwd-" + token
                + "@corp.example\",\"targets\":[\"inbox-" + (n % 50) + "@corp.example\"]}}]}";
        String key = "rel-" + token;
        while (true) {
            Reply reply = call(stats, "submit", post("/api/v1/change-requests", user, PW, body).header("Idempotency-Key", key));
            if (reply.is(201)) {
                Matcher m = ID.matcher(reply.body());
                if (!m.find()) {
                    failures.add("a 201 without an id: " + reply.body());
                    return;
                }
                state.accepted.put(m.group(1), title);
                state.awaitingDecision.add(m.group(1));
                return;
            }
            if (reply.definite() || !retryAfterFault(stop)) {
                return;
            }
        }
    }

    static void decide(State state, Stats stats, AtomicBoolean stop, String id, String decision) {
        String user = "rel-appr-" + ThreadLocalRandom.current().nextInt(APPROVERS);
        boolean cutOff = false;
        while (true) {
            Reply reply = call(stats, decision, post("/api/v1/change-requests/" + id + "/" + decision, user, PW,
                    "{\"comment\":\"確認済み\"}"));
            if (reply.is(200) || reply.is(409) && cutOff && decidedAs(id, decision)) {
                // a 409 after a cut-off attempt, on a request only this client decides (each id is taken from the
                // queue once), whose status is this decision: the cut-off attempt committed
                (decision.equals("approve") ? state.approved : state.rejected).add(id);
                return;
            }
            if (reply.definite() || !retryAfterFault(stop)) {
                return;
            }
            cutOff = true;
        }
    }

    static boolean decidedAs(String id, String decision) {
        Reply r = call(null, "status", get("/api/v1/change-requests/" + id, "rel-appr-0", PW));
        String status = r.is(200) ? field(r.body(), "status") : null;
        return status != null && (decision.equals("reject") ? status.equals("REJECTED")
                : List.of("APPROVED", "APPLYING", "APPLIED", "FAILED").contains(status));
    }

    static void read(State state, Stats stats, AtomicBoolean stop, Random rnd) {
        double r = rnd.nextDouble();
        String approver = "rel-appr-" + rnd.nextInt(APPROVERS);
        String id = state.awaitingDecision.peek();
        if (r < 0.2) { // a requester's view: their department's requests
            call(stats, "read", get("/api/v1/change-requests?limit=20", "rel-req-" + rnd.nextInt(DEPARTMENTS.length) + "-0", PW));
        } else if (r < 0.4) {
            call(stats, "read", get("/api/v1/change-requests?status=SUBMITTED&limit=20", approver, PW));
        } else if (r < 0.8 && id != null) {
            call(stats, "read", get("/api/v1/change-requests/" + id, approver, PW));
        } else {
            call(stats, "read", get("/api/v1/departments", approver, PW));
        }
    }

    /** After a 5xx or a connection failure: wait a little and try again, unless the phase is over. */
    static boolean retryAfterFault(AtomicBoolean stop) {
        if (stop.get()) {
            return false;
        }
        sleep(500);
        return true;
    }

    static Reply call(Stats stats, String op, HttpRequest.Builder request) {
        long start = System.nanoTime();
        Reply reply;
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            reply = new Reply(Integer.toString(r.statusCode()), r.body(), r.headers().firstValue("Content-Type").orElse(null));
        } catch (HttpTimeoutException e) {
            reply = new Reply("timeout", "", null);
        } catch (IOException e) {
            reply = new Reply("no-answer", "", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = new Reply("interrupted", "", null);
        }
        if (stats != null) {
            stats.count(op, reply.status(), System.nanoTime() - start);
            if (reply.is(503) && !reply.clean503()) {
                stats.unclean503.incrementAndGet();
            }
            if (reply.busy503()) {
                stats.countBusy();
            }
        }
        return reply;
    }

    /** Runs the clients until {@code seconds} pass (or {@code stop} is set); waits for their last retries. */
    static void runClients(State state, Stats stats, AtomicBoolean stop, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNo = c;
            futures.add(pool.submit(() -> client(state, stats, stop, deadline, clientNo)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    // ------------------------------------------------------------------ phases

    static void loadPhase(State state) throws Exception {
        double seconds = MINUTES * 60;
        System.out.printf("%n== phase 1: %d clients, %.1f min of mixed submit/approve/reject/read (%s)%n", CLIENTS, MINUTES, loadavg());
        Map<String, Long> before = auditCounts();
        State phase = new State();
        Stats stats = new Stats();
        runClients(phase, stats, new AtomicBoolean(), seconds);
        stats.print("phase 1", seconds);
        check("phase 1: no 5xx", stats.count5xx() == 0, stats.count5xx() + " responses were 5xx");
        long other = stats.histogram().entrySet().stream()
                .filter(e -> !e.getKey().matches("2\\d\\d|409")).mapToLong(Map.Entry::getValue).sum();
        check("phase 1: every answer is 2xx (or 409 for a request decided twice)", other == 0, other + " other answers");
        // the state-changing actions the clients saw succeed, against the audit rows written meanwhile
        Map<String, Long> after = auditCounts();
        long submitted = after.getOrDefault("change.submitted", 0L) - before.getOrDefault("change.submitted", 0L);
        long approved = after.getOrDefault("change.approved", 0L) - before.getOrDefault("change.approved", 0L);
        long rejected = after.getOrDefault("change.rejected", 0L) - before.getOrDefault("change.rejected", 0L);
        System.out.printf("   actions seen by clients: submitted %d, approved %d, rejected %d; audit rows written: %s%n",
                phase.accepted.size(), phase.approved.size(), phase.rejected.size(), diff(before, after));
        check("phase 1: audit change.submitted rows = 201s", submitted == phase.accepted.size(),
                submitted + " rows, " + phase.accepted.size() + " accepted");
        check("phase 1: audit change.approved rows = approvals", approved == phase.approved.size(),
                approved + " rows, " + phase.approved.size() + " approvals");
        check("phase 1: audit change.rejected rows = rejections", rejected == phase.rejected.size(),
                rejected + " rows, " + phase.rejected.size() + " rejections");
        merge(phase, state);
        checkDatabase("phase 1", state);
    }

    static void outagePhase(State state) throws Exception {
        int before = 20;
        int after = 30;
        System.out.printf("%n== phase 2: %d clients; PostgreSQL stopped after %d s for %d s, then %d s more (%s)%n",
                CLIENTS, before, OUTAGE_SECONDS, after, loadavg());
        Stats stats = new Stats();
        AtomicBoolean stop = new AtomicBoolean();
        long[] marks = new long[3]; // stopped, starting, started (ns since stats.start)
        List<String> readiness = Collections.synchronizedList(new ArrayList<>());
        Thread fault = new Thread(() -> {
            try {
                sleep(before * 1000L);
                pgCtl("stop", "-m", "fast");
                marks[0] = System.nanoTime() - stats.start;
                long until = System.nanoTime() + OUTAGE_SECONDS * 1_000_000_000L;
                while (System.nanoTime() < until) {
                    readiness.add(call(null, "ready", HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(10))).status());
                    sleep(1000);
                }
                marks[1] = System.nanoTime() - stats.start;
                pgCtl("start", "-w", "-l", WORK.resolve("pgrun").resolve("pg.log").toString());
                marks[2] = System.nanoTime() - stats.start;
            } catch (Exception e) {
                failures.add("phase 2: PostgreSQL could not be stopped/started: " + e);
            }
        });
        fault.start();
        runClients(state, stats, stop, before + OUTAGE_SECONDS + after);
        fault.join();
        stats.print("phase 2", before + OUTAGE_SECONDS + after);
        // the outage window: from the stop (plus 2 s for requests already past the database) to the start
        long from = marks[0] / 1_000_000_000L + 2;
        long to = marks[1] / 1_000_000_000L;
        Map<String, Long> during = new TreeMap<>();
        Map<String, Long> afterStart = new TreeMap<>();
        long firstOk = -1;
        long last5xx = -1;
        for (Map.Entry<Long, Map<String, AtomicLong>> e : new TreeMap<>(stats.timeline).entrySet()) {
            long sec = e.getKey();
            for (Map.Entry<String, AtomicLong> s : e.getValue().entrySet()) {
                if (sec >= from && sec < to) {
                    during.merge(s.getKey(), s.getValue().get(), Long::sum);
                }
                if (sec * 1_000_000_000L >= marks[2]) {
                    afterStart.merge(s.getKey(), s.getValue().get(), Long::sum);
                    if (s.getKey().startsWith("2") && firstOk < 0) {
                        firstOk = sec;
                    }
                    if (!s.getKey().startsWith("2") && !s.getKey().startsWith("4")) {
                        last5xx = sec;
                    }
                }
            }
        }
        double started = marks[2] / 1e9;
        System.out.printf("   stopped at %.1f s, start begun %.1f s, started %.1f s%n", marks[0] / 1e9, marks[1] / 1e9, started);
        long busyDuring = stats.busy(from, to);
        System.out.printf("   during the outage (s %d–%d): %s, of which service-busy %d; 503 answers not problem+json of type %s or %s: %d%n",
                from, to, during, busyDuring, PROBLEM_UNAVAILABLE, PROBLEM_BUSY, stats.unclean503.get());
        System.out.printf("   readiness during the outage: %s%n", readiness);
        System.out.printf("   after the start: %s; first 2xx in second %d (%.1f s after the start), last non-2xx/4xx in second %s%n",
                afterStart, firstOk, firstOk - started, last5xx < 0 ? "none" : Long.toString(last5xx));
        long bad = during.entrySet().stream().filter(e -> !e.getKey().equals("503")).mapToLong(Map.Entry::getValue).sum();
        check("phase 2: while PostgreSQL is away every answer is 503", bad == 0 && during.getOrDefault("503", 0L) > 0,
                "outage answers " + during);
        check("phase 2: every 503 is problem+json with type database-unavailable or service-busy", stats.unclean503.get() == 0,
                stats.unclean503.get() + " were not");
        check("phase 2: while PostgreSQL is away the 503s say database-unavailable, not service-busy", busyDuring == 0,
                busyDuring + " said service-busy");
        long other5xx = stats.histogram().entrySet().stream().filter(e -> e.getKey().startsWith("5") && !e.getKey().equals("503"))
                .mapToLong(Map.Entry::getValue).sum();
        check("phase 2: no 5xx other than 503", other5xx == 0, other5xx + " were");
        check("phase 2: readiness DOWN (503) while PostgreSQL is away", !readiness.isEmpty()
                && readiness.stream().allMatch(s -> s.equals("503")), "readiness answers " + readiness);
        check("phase 2: recovered without a restart of mailgov", firstOk >= 0 && app.isAlive(), "no 2xx after the start");
        long lateFaults = afterStart.entrySet().stream().filter(e -> !e.getKey().startsWith("2") && !e.getKey().startsWith("4"))
                .mapToLong(Map.Entry::getValue).sum();
        check("phase 2: fully recovered within 10 s of the start", last5xx < 0 || last5xx - started <= 10,
                lateFaults + " faults after the start, the last in second " + last5xx);
        checkDatabase("phase 2", state);
    }

    static void blackHolePhase(State state) throws Exception {
        System.out.printf("%n== phase 3: a Mailman endpoint that accepts connections and never answers, beside a FILE server (%s)%n",
                loadavg());
        AtomicBoolean blackHole = new AtomicBoolean(false);
        AtomicLong held = new AtomicLong();
        HttpServer mailman = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        mailman.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-mailman");
            t.setDaemon(true);
            return t;
        }));
        mailman.createContext("/", exchange -> {
            if (blackHole.get()) {
                held.incrementAndGet();
                sleep(3_600_000); // accepted, read, never answered
                return;
            }
            // an empty Mailman before the black hole: the plan reads its lists (none)
            String path = exchange.getRequestURI().getPath();
            byte[] body = path.equals("/3.1/lists") ? "{\"entries\":[],\"total_size\":0}".getBytes(StandardCharsets.UTF_8)
                    : "{\"title\":\"404 Not Found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(path.equals("/3.1/lists") ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        mailman.start();
        int timeoutMs = 3000;
        String serverBody = "{\"name\":\"mailman-blackhole\",\"kind\":\"MAILMAN\",\"endpoint\":\"http://127.0.0.1:"
                + mailman.getAddress().getPort() + "/3.1\",\"username\":\"restadmin\",\"credentialRef\":\"env:MAILGOV_SECRET_REL_MAILMAN\","
                + "\"options\":{\"timeoutMillis\":\"" + timeoutMs + "\"}}";
        // the load phases leave FILE jobs queued (one per approval): let them drain, or the list and the
        // forwards below would wait behind them and say nothing about the black hole
        long drainStart = System.nanoTime();
        while (!"0".equals(field(adminGet("/api/v1/mail-servers").body(), "pendingJobs"))
                && System.nanoTime() - drainStart < 600_000_000_000L) {
            sleep(1000);
        }
        System.out.printf("   FILE backlog of the earlier phases drained in %.0f s%n", (System.nanoTime() - drainStart) / 1e9);
        Reply created = adminPost("/api/v1/mail-servers", serverBody);
        String serverId = field(created.body(), "id");
        enforce(serverId);
        blackHole.set(true);
        long t0 = System.nanoTime();
        // one list: a job for the FILE server and one for the black hole
        String listId = submitAndApprove("rel-req-0-0", DEPARTMENTS[0], "{\"action\":\"CREATE\",\"kind\":\"MAILING_LIST\","
                + "\"spec\":{\"address\":\"rel-list-" + System.currentTimeMillis() + "@corp.example\",\"name\":\"リスト\","
                + "\"members\":[\"member-1@corp.example\"],\"replyToList\":false,\"addsListHeaders\":true}}");
        // watch the list's jobs from the approval on: FILE applied, Mailman retried with a timeout each time
        double[] fileApplied = {-1};
        List<String> attemptsSeen = Collections.synchronizedList(new ArrayList<>());
        int[] lastAttempts = {0};
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                String view = adminGet("/api/v1/change-requests/" + listId).body();
                double at = (System.nanoTime() - t0) / 1e9;
                for (String push : view.split("\\{\"job\":")) {
                    if (push.contains("\"server\":\"files\"") && push.contains("\"status\":\"APPLIED\"") && fileApplied[0] < 0) {
                        fileApplied[0] = at;
                    }
                    if (push.contains("\"server\":\"mailman-blackhole\"")) {
                        int attempts = Integer.parseInt(field(push, "attempts"));
                        String error = field(push, "lastError");
                        if (attempts != lastAttempts[0] && error != null && !error.equals("null")) {
                            lastAttempts[0] = attempts;
                            attemptsSeen.add(String.format("attempt %d failed by %.1f s: %s", attempts, at, field(push, "lastError")));
                        }
                    }
                }
                sleep(250);
            }
        });
        watcher.start();
        // forwards approved meanwhile go to the FILE server only: they must not wait for the black hole
        List<Double> forwardApplied = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            String fwd = submitAndApprove("rel-req-1-0", DEPARTMENTS[1], "{\"action\":\"CREATE\",\"kind\":\"FORWARD\",\"spec\":"
                    + "{\"source\":\"bh-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example\",\"targets\":[\"x@corp.example\"]}}");
            forwardApplied.add(awaitStatus(fwd, "APPLIED", 60) ? (System.nanoTime() - s) / 1e9 : -1);
        }
        long until = t0 + 90_000_000_000L;
        while (System.nanoTime() < until && lastAttempts[0] < 4) {
            sleep(250);
        }
        watching.set(false);
        watcher.join();
        System.out.printf("   FILE job of the list applied %.1f s after the approval; forwards approved meanwhile applied after %s s%n",
                fileApplied[0], forwardApplied);
        attemptsSeen.forEach(a -> System.out.println("   mailman: " + a));
        System.out.printf("   requests held open by the black hole: %d; read timeout %d ms%n", held.get(), timeoutMs);
        check("phase 3: the FILE server's job goes on", fileApplied[0] >= 0 && fileApplied[0] < 20, "applied at " + fileApplied[0]);
        check("phase 3: forwards reach the FILE server while the black hole holds a job",
                forwardApplied.stream().allMatch(s -> s >= 0 && s < 20), "applied after " + forwardApplied);
        check("phase 3: the stuck job times out and is retried", lastAttempts[0] >= 3
                && attemptsSeen.stream().allMatch(a -> a.contains("timed out")), attemptsSeen.toString());
        // the Mailman stays registered no longer: its pending job is dropped with it
        call(null, "delete", admin("/api/v1/mail-servers/" + serverId).DELETE());
        mailman.stop(0);
        checkDatabase("phase 3", state);
    }

    static void killPhase(State state) throws Exception {
        System.out.printf("%n== phase 4: %d clients; mailgov SIGKILLed and started again, %d times (%s)%n", CLIENTS, KILLS, loadavg());
        for (int k = 1; k <= KILLS; k++) {
            State round = new State();
            Stats stats = new Stats();
            AtomicBoolean stop = new AtomicBoolean();
            long[] restart = new long[2];
            Exception[] restartFailure = new Exception[1];
            int killAfter = 8 + ThreadLocalRandom.current().nextInt(8);
            Thread fault = new Thread(() -> {
                try {
                    sleep(killAfter * 1000L);
                    long pid = app.pid();
                    long s = System.nanoTime();
                    app.destroyForcibly(); // SIGKILL on Linux
                    app.waitFor(30, TimeUnit.SECONDS);
                    startService("restart after kill");
                    restart[0] = pid;
                    restart[1] = System.nanoTime() - s;
                    sleep(10_000); // load on the restarted service
                    stop.set(true);
                } catch (Exception e) {
                    restartFailure[0] = e;
                    stop.set(true);
                }
            });
            fault.start();
            runClients(round, stats, stop, 600);
            fault.join();
            merge(round, state);
            if (restartFailure[0] != null) {
                // say why at once (the list of failures is printed only at the end), and stop: the rounds after
                // it and the database checks would only report a service that is not there
                check("phase 4 kill " + k + ": mailgov starts again after the kill", false, restartFailure[0].toString());
                printLogTail(40);
                break;
            }
            System.out.printf("-- kill %d: PID %d killed after %d s, ready again %.1f s later; accepted %d, approved %d, rejected %d; statuses %s%n",
                    k, restart[0], killAfter, restart[1] / 1e9, round.accepted.size(), round.approved.size(), round.rejected.size(),
                    stats.histogram());
            long bad5xx = stats.histogram().entrySet().stream().filter(e -> e.getKey().startsWith("5") && !e.getKey().equals("503"))
                    .mapToLong(Map.Entry::getValue).sum();
            check("phase 4 kill " + k + ": no 5xx other than 503 around the crash", bad5xx == 0, bad5xx + " were");
            check("phase 4 kill " + k + ": every 503 is problem+json of a stable type", stats.unclean503.get() == 0,
                    stats.unclean503.get() + " were not");
            checkDatabase("phase 4 kill " + k, state);
        }
    }

    // ------------------------------------------------------------------ database checks

    /**
     * Every accepted request is whole, nothing is half-written or twice there, the audit rows match the
     * rows they describe, and the chain verifies.
     */
    static void checkDatabase(String phase, State state) throws Exception {
        try (Connection c = DriverManager.getConnection(JDBC, "mailgov", null); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE accepted (id uuid PRIMARY KEY, title text, decision text)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO accepted VALUES (?::uuid, ?, ?)")) {
                for (Map.Entry<String, String> e : state.accepted.entrySet()) {
                    p.setString(1, e.getKey());
                    p.setString(2, e.getValue());
                    p.setString(3, state.approved.contains(e.getKey()) ? "approve" : state.rejected.contains(e.getKey()) ? "reject" : null);
                    p.addBatch();
                }
                p.executeBatch();
            }
            Map<String, String> queries = new java.util.LinkedHashMap<>();
            queries.put("accepted (201) requests missing", "SELECT count(*) FROM accepted a LEFT JOIN change_request cr ON cr.id = a.id "
                    + "WHERE cr.id IS NULL OR cr.title <> a.title");
            queries.put("approved (200) requests without their revision", "SELECT count(*) FROM accepted a JOIN change_request cr ON cr.id = a.id "
                    + "WHERE a.decision = 'approve' AND (cr.applied_revision IS NULL OR cr.status NOT IN ('APPROVED','APPLYING','APPLIED','FAILED'))");
            queries.put("rejected (200) requests not rejected", "SELECT count(*) FROM accepted a JOIN change_request cr ON cr.id = a.id "
                    + "WHERE a.decision = 'reject' AND cr.status <> 'REJECTED'");
            queries.put("requests without items", "SELECT count(*) FROM change_request cr WHERE NOT EXISTS "
                    + "(SELECT 1 FROM change_item i WHERE i.change_request_id = cr.id)");
            queries.put("requests without their change.submitted audit row", "SELECT count(*) FROM change_request cr WHERE NOT EXISTS "
                    + "(SELECT 1 FROM audit_entry e WHERE e.object_id = cr.id::text AND e.action = 'change.submitted')");
            queries.put("change.submitted audit rows without their request", "SELECT count(*) FROM audit_entry e WHERE e.action = "
                    + "'change.submitted' AND NOT EXISTS (SELECT 1 FROM change_request cr WHERE cr.id::text = e.object_id)");
            queries.put("requests submitted twice (same title)", "SELECT count(*) FROM (SELECT title FROM change_request GROUP BY title "
                    + "HAVING count(*) > 1) t");
            queries.put("revisions without an approved request", "SELECT count(*) FROM directory_revision r WHERE r.number > 0 AND "
                    + "NOT EXISTS (SELECT 1 FROM change_request cr WHERE cr.id = r.change_request_id AND cr.applied_revision = r.number)");
            queries.put("revisions without their change.approved audit row", "SELECT count(*) FROM directory_revision r WHERE r.number > 0 "
                    + "AND NOT EXISTS (SELECT 1 FROM audit_entry e WHERE e.object_id = r.change_request_id::text AND e.action = 'change.approved')");
            queries.put("approved requests without a revision", "SELECT count(*) FROM change_request cr WHERE cr.status IN "
                    + "('APPROVED','APPLYING','APPLIED','FAILED') AND NOT EXISTS (SELECT 1 FROM directory_revision r WHERE r.number = cr.applied_revision)");
            queries.put("approved forwards not in the directory", "SELECT count(*) FROM change_item i JOIN change_request cr ON cr.id = "
                    + "i.change_request_id WHERE cr.applied_revision IS NOT NULL AND NOT EXISTS (SELECT 1 FROM directory_object o "
                    + "WHERE o.kind = i.kind AND o.object_key = i.object_key AND o.from_revision = cr.applied_revision)");
            queries.put("change.approved audit rows ≠ revisions", "SELECT abs((SELECT count(*) FROM audit_entry WHERE action = "
                    + "'change.approved') - (SELECT count(*) FROM directory_revision WHERE number > 0))");
            queries.put("change.rejected audit rows ≠ rejected requests", "SELECT abs((SELECT count(*) FROM audit_entry WHERE action = "
                    + "'change.rejected') - (SELECT count(*) FROM change_request WHERE status = 'REJECTED'))");
            List<String> found = new ArrayList<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                try (ResultSet rs = s.executeQuery(q.getValue())) {
                    rs.next();
                    long n = rs.getLong(1);
                    check(phase + ": " + q.getKey() + " = 0", n == 0, Long.toString(n));
                    if (n != 0) {
                        found.add(q.getKey() + "=" + n);
                    }
                }
            }
            long requests = scalar(s, "SELECT count(*) FROM change_request");
            long revisions = scalar(s, "SELECT count(*) FROM directory_revision WHERE number > 0");
            long audit = scalar(s, "SELECT count(*) FROM audit_entry");
            long start = System.nanoTime();
            Reply verify = adminGet("/api/v1/audit/verify");
            double took = (System.nanoTime() - start) / 1e9;
            // push workers may add rows meanwhile: the chain covers at least the rows counted before, at most those after
            long auditAfter = scalar(s, "SELECT count(*) FROM audit_entry");
            String entries = field(verify.body(), "entries");
            boolean allRows = entries != null && Long.parseLong(entries) >= audit && Long.parseLong(entries) <= auditAfter;
            boolean valid = verify.is(200) && verify.body().contains("\"valid\":true");
            System.out.printf("   database after %s: %d requests (%d accepted by clients), %d revisions, %d audit rows; %d checks, %s; "
                            + "chain %s (verify %.1f s)%n", phase, requests, state.accepted.size(), revisions, audit, queries.size(),
                    found.isEmpty() ? "all 0" : "FOUND " + found, valid ? "valid" : "INVALID " + verify.body(), took);
            check(phase + ": audit chain valid over all rows", valid && allRows, verify.body() + " rows " + audit + ".." + auditAfter);
        }
    }

    static long scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Long> auditCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(JDBC, "mailgov", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT action, count(*) FROM audit_entry GROUP BY action")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }

    static void merge(State from, State into) {
        into.accepted.putAll(from.accepted);
        into.approved.addAll(from.approved);
        into.rejected.addAll(from.rejected);
        into.awaitingDecision.addAll(from.awaitingDecision);
    }

    static void check(String what, boolean ok, String detail) {
        System.out.println("   " + (ok ? "ok   " : "FAIL ") + what + (ok ? "" : " — " + detail));
        if (!ok) {
            failures.add(what + " — " + detail);
        }
    }

    // ------------------------------------------------------------------ set-up through the API

    static void setUp() throws Exception {
        for (int d = 0; d < DEPARTMENTS.length; d++) {
            expect(adminPost("/api/v1/departments", "{\"code\":\"" + DEPARTMENTS[d] + "\",\"name\":\"" + DEPARTMENT_NAMES[d] + "\"}"), 201);
            for (int i = 0; i < REQUESTERS_PER_DEPT; i++) {
                expect(adminPost("/api/v1/users", "{\"username\":\"rel-req-" + d + "-" + i + "\",\"password\":\"" + PW
                        + "\",\"roles\":[\"requester\"],\"department\":\"" + DEPARTMENTS[d] + "\"}"), 201);
            }
        }
        expect(adminPost("/api/v1/departments", "{\"code\":\"REL-SYS\",\"name\":\"システム部\"}"), 201);
        for (int i = 0; i < APPROVERS; i++) {
            expect(adminPost("/api/v1/users", "{\"username\":\"rel-appr-" + i + "\",\"password\":\"" + PW
                    + "\",\"roles\":[\"approver\"],\"department\":\"REL-SYS\"}"), 201);
        }
        // a FILE server in ENFORCE mode receives every approved change (the service starts without the default one)
        Reply files = adminPost("/api/v1/mail-servers", "{\"name\":\"files\",\"kind\":\"FILE\",\"endpoint\":\"mail-config-rel\"}");
        expect(files, 201);
        enforce(field(files.body(), "id"));
    }

    static void enforce(String serverId) {
        Reply plan = adminGet("/api/v1/mail-servers/" + serverId + "/plan");
        expect(plan, 200);
        expect(adminPost("/api/v1/mail-servers/" + serverId + "/enforce", "{\"planHash\":\"" + field(plan.body(), "planHash") + "\"}"), 200);
    }

    static String submitAndApprove(String requester, String dept, String item) {
        Reply s = call(null, "submit", post("/api/v1/change-requests", requester, PW, "{\"department\":\"" + dept
                + "\",\"title\":\"reliability " + UUID.randomUUID() + "\",\"reason\":\"black hole\",\"items\":[" + item + "]}"));
        expect(s, 201);
        String id = field(s.body(), "id");
        expect(call(null, "approve", post("/api/v1/change-requests/" + id + "/approve", "rel-appr-0", PW, "{\"comment\":\"ok\"}")), 200);
        return id;
    }

    static boolean awaitStatus(String id, String status, int seconds) {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            if (status.equals(field(adminGet("/api/v1/change-requests/" + id).body(), "status"))) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    static void expect(Reply r, int status) {
        if (!r.is(status)) {
            throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
        }
    }

    /** The first value of a top-level-looking JSON field (string or number); enough for this driver's answers. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.]+|null|true|false)").matcher(json);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    static Reply adminPost(String path, String body) {
        return call(null, "admin", post(path, "admin", ADMIN_PW, body));
    }

    static Reply adminGet(String path) {
        return call(null, "admin", get(path, "admin", ADMIN_PW));
    }

    static HttpRequest.Builder admin(String path) {
        return auth(HttpRequest.newBuilder(URI.create(base + path)), "admin", ADMIN_PW).timeout(Duration.ofSeconds(120));
    }

    static HttpRequest.Builder post(String path, String user, String pw, String body) {
        return auth(HttpRequest.newBuilder(URI.create(base + path)), user, pw).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder get(String path, String user, String pw) {
        return auth(HttpRequest.newBuilder(URI.create(base + path)), user, pw).timeout(Duration.ofSeconds(120)).GET();
    }

    static HttpRequest.Builder auth(HttpRequest.Builder b, String user, String pw) {
        return b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ processes (only our own)

    static void startService(String why) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String opt : JAVA_OPTS.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                pb.command().add(opt);
            }
        }
        pb.command().add("-jar");
        pb.command().add(Path.of(JAR).toAbsolutePath().toString());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", JDBC);
        env.put("QUARKUS_DATASOURCE_USERNAME", "mailgov");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("MAILGOV_DATA_DIR", WORK.resolve("data").toString());
        env.put("MAILGOV_ADMIN_PASSWORD", ADMIN_PW);
        env.put("MAILGOV_INTERNAL_DOMAINS", "corp.example");
        env.put("MAILGOV_PUSH_DEFAULT_FILE_SERVER", "false");
        // retries within seconds, so that phase 3 sees several in under a minute
        env.put("MAILGOV_PUSH_FIRST_RETRY_DELAY", "PT2S");
        env.put("MAILGOV_PUSH_MAX_RETRY_DELAY", "PT8S");
        env.put("MAILGOV_PUSH_LEASE", "PT30S");
        env.put("MAILGOV_SECRET_REL_MAILMAN", MAILMAN_PW);
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "reliability-bench-only-key-" + ADMIN_PW);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("app.log").toFile()));
        long start = System.nanoTime();
        app = pb.start();
        Files.writeString(WORK.resolve("app.pid"), Long.toString(app.pid()));
        while (System.nanoTime() - start < 300_000_000_000L) {
            if (!app.isAlive()) {
                throw new IllegalStateException("mailgov exited (" + why + "); see " + WORK.resolve("app.log"));
            }
            // readiness asks PostgreSQL on a connection of its own (never queued behind the clients); the generous
            // time-out is for a starved machine
            if (call(null, "ready", HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(40))).is(200)) {
                System.out.printf("   mailgov PID %d ready in %.1f s (%s)%n", app.pid(), (System.nanoTime() - start) / 1e9, why);
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("mailgov not ready in 300 s (" + why + ")");
    }

    static void printLogTail(int lines) {
        try {
            List<String> log = Files.readAllLines(WORK.resolve("app.log"), StandardCharsets.UTF_8);
            System.out.println("   last " + lines + " lines of " + WORK.resolve("app.log") + ":");
            log.subList(Math.max(0, log.size() - lines), log.size()).forEach(l -> System.out.println("   | " + l));
        } catch (IOException e) {
            System.out.println("   (no app.log: " + e + ")");
        }
    }

    static void stopService() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            if (!app.waitFor(60, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    static void pgCtl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        for (String word : env("REL_PG_AS", "").trim().split("\\s+")) { // runuser -u postgres -- when run as root
            if (!word.isEmpty()) {
                cmd.add(word);
            }
        }
        cmd.addAll(List.of(PG_BIN + "/pg_ctl", "-D", PG_DATA));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("pg_ctl.log").toFile())).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pg_ctl " + String.join(" ", args) + " failed; see " + WORK.resolve("pg_ctl.log"));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "load ?";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
