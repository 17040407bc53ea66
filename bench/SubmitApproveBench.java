import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for bench/submit-approve.sh: N client threads each submit a one-item change
 * request as a requester and approve it as an approver, for a fixed time. Talks only to the
 * service URL it is given (127.0.0.1). Prints pairs/s, requests/s and latency percentiles.
 *
 * java bench/SubmitApproveBench.java URL DEPT REQUESTER:PW APPROVER:PW CLIENTS SECONDS [SERVICE_PID CLK_TCK]
 *
 * With the service's PID it also prints the service's CPU time (user + system, from /proc) spent
 * in the measured window divided by the pairs completed in it: stable where pairs/s is not (a
 * shared machine), and what a change to the write path is judged by.
 */
public class SubmitApproveBench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String dept = args[1];
        String requester = "Basic " + Base64.getEncoder().encodeToString(args[2].getBytes(StandardCharsets.UTF_8));
        String approver = "Basic " + Base64.getEncoder().encodeToString(args[3].getBytes(StandardCharsets.UTF_8));
        int clients = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger counter = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        // let the JIT settle: BENCH_WARMUP seconds (default 15; on a slow machine compiling takes much longer)
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_WARMUP", "15"))).toNanos();
        long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger pairs = new AtomicInteger();
        long[] cpuTicks = new long[2];
        long[] jitTicks = new long[2];
        Thread cpuProbe = null;
        if (args.length >= 8) {
            String stat = "/proc/" + args[6] + "/stat";
            cpuProbe = new Thread(() -> {
                try {
                    sleepUntil(warmupEnd);
                    cpuTicks[0] = cpuTicks(stat);
                    jitTicks[0] = jitTicks(args[6]);
                    sleepUntil(end);
                    cpuTicks[1] = cpuTicks(stat);
                    jitTicks[1] = jitTicks(args[6]);
                } catch (Exception e) {
                    cpuTicks[1] = -1;
                }
            });
            cpuProbe.start();
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = counter.incrementAndGet();
                    String body = "{\"department\":\"" + dept + "\",\"title\":\"bench " + n + "\",\"reason\":\"benchmark\","
                            + "\"items\":[{\"action\":\"CREATE\",\"kind\":\"FORWARD\",\"spec\":{\"source\":\"bench-" + n + "-"
                            + System.nanoTime() + "@corp.example\",\"targets\":[\"inbox-" + n + "@corp.example\"]}}]}";
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> submitted = http.send(post(base + "/api/v1/change-requests", requester, body),
                                HttpResponse.BodyHandlers.ofString());
                        Matcher m = ID.matcher(submitted.body());
                        if (submitted.statusCode() != 201 || !m.find()) {
                            errors.incrementAndGet();
                            continue;
                        }
                        HttpResponse<String> approved = http.send(post(base + "/api/v1/change-requests/" + m.group(1) + "/approve",
                                approver, "{\"comment\":\"bench\"}"), HttpResponse.BodyHandlers.ofString());
                        if (approved.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        long now = System.nanoTime();
                        if (start >= warmupEnd && now <= end) {
                            pairs.incrementAndGet();
                            latencies.add(now - start);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        if (cpuProbe != null) {
            cpuProbe.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double pairsPerSecond = pairs.get() / (double) seconds;
        System.out.printf("clients=%d seconds=%d pairs=%d errors=%d%n", clients, seconds, pairs.get(), errors.get());
        System.out.printf("submit+approve pairs/s=%.1f http_requests/s=%.1f%n", pairsPerSecond, 2 * pairsPerSecond);
        if (cpuProbe != null && cpuTicks[1] > 0 && pairs.get() > 0) {
            double cpuMs = (cpuTicks[1] - cpuTicks[0]) * 1000.0 / Long.parseLong(args[7]);
            double jitMs = (jitTicks[1] - jitTicks[0]) * 1000.0 / Long.parseLong(args[7]);
            System.out.printf("service CPU ms=%.0f cpu_ms_per_pair=%.2f (%.2f cores busy)%n", cpuMs, cpuMs / pairs.get(),
                    cpuMs / 1000.0 / seconds);
            // The JIT compiler's share shrinks as the service warms up; on a starved machine it can be half.
            System.out.printf("of which JIT compiler threads ms=%.0f; without them cpu_ms_per_pair_nojit=%.2f%n", jitMs,
                    (cpuMs - jitMs) / pairs.get());
        }
        if (!sorted.isEmpty()) {
            System.out.printf("pair latency ms: p50=%.1f p99=%.1f%n",
                    sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15, counted after the command name). */
    private static long cpuTicks(String statFile) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of(statFile));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** utime + stime of the process's JIT compiler threads (named "C1/C2 CompilerThreadN"), in clock ticks. */
    private static long jitTicks(String pid) throws java.io.IOException {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", pid, "task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    String comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
                    if (comm.matches("C[12] Compiler.*")) {
                        ticks += cpuTicks(task.resolve("stat").toString());
                    }
                } catch (java.io.IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return ticks;
    }

    private static HttpRequest post(String url, String auth, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
