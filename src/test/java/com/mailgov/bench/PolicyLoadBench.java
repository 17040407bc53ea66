package com.mailgov.bench;

import com.mailgov.testsupport.MilterClient;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load generator for Postfix policy servers: speaks the SMTP access policy delegation
 * protocol (what {@code check_policy_service} sends at RCPT, about 30 attributes) or the milter
 * protocol (envelope + a few headers, as Postfix's cleanup/smtpd do) to a server on 127.0.0.1 at a
 * fixed offered rate. Request i is due at {@code start + i / rate} whatever happened before
 * (open loop), and its latency is counted from that due time, so a server that stalls is charged
 * for every request that waited behind the stall (no coordinated omission). Service time (from the
 * actual send) is reported beside it.
 *
 * <p>Like Postfix, each connection carries one request at a time (one smtpd process per connection);
 * {@code connections} of them share the schedule.
 *
 * <pre>
 * java -cp target/test-classes com.mailgov.bench.PolicyLoadBench port=10040 rate=2000 seconds=30 [key=value…]
 * </pre>
 * Keys: {@code host} (127.0.0.1 only), {@code port}, {@code proto} (policy|milter), {@code rate}
 * (requests/s), {@code seconds}, {@code warmup} (seconds at the same rate, not counted),
 * {@code connections} (16), {@code repeat} (percent of requests on 50 repeated edges, 10),
 * {@code distinct} (1: every request a new sender→recipient edge, for the memory run), {@code pid}
 * (server process: its CPU time and its children's is read from /proc before and after),
 * {@code label}.
 */
public final class PolicyLoadBench {

    private final Map<String, String> opts;
    private final String host;
    private final int port;
    private final boolean milter;
    private final int rate;
    private final int connections;
    private final int repeatPercent;
    private final boolean distinct;
    private final AtomicLong distinctCounter = new AtomicLong();
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    private PolicyLoadBench(Map<String, String> opts) {
        this.opts = opts;
        this.host = opts.getOrDefault("host", "127.0.0.1");
        if (!host.equals("127.0.0.1")) {
            throw new IllegalArgumentException("loopback only");
        }
        this.port = Integer.parseInt(opts.get("port"));
        this.milter = opts.getOrDefault("proto", "policy").equals("milter");
        this.rate = Integer.parseInt(opts.getOrDefault("rate", "2000"));
        this.connections = Integer.parseInt(opts.getOrDefault("connections", "16"));
        this.repeatPercent = Integer.parseInt(opts.getOrDefault("repeat", "10"));
        this.distinct = opts.getOrDefault("distinct", "0").equals("1");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new PolicyLoadBench(opts).run();
    }

    private void run() throws Exception {
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
        long pid = Long.parseLong(opts.getOrDefault("pid", "0"));
        String label = opts.getOrDefault("label", (milter ? "milter" : "policy") + ":" + port);
        if (warmup > 0) {
            phase((long) rate * warmup, null, null);
            answers.clear();
            errors.reset();
            reconnects.reset();
        }
        long total = (long) rate * seconds;
        long[] response = new long[(int) total];
        long[] service = new long[(int) total];
        Arrays.fill(response, -1);
        String loadBefore = load();
        long cpuBefore = cpuMillis(pid);
        long t0 = System.nanoTime();
        long lastDone = phase(total, response, service);
        double elapsed = (lastDone - t0) / 1e9;
        long cpu = cpuMillis(pid) - cpuBefore;
        String loadAfter = load();

        long[] ok = Arrays.stream(response).filter(v -> v >= 0).sorted().toArray();
        long[] svc = Arrays.stream(service).filter(v -> v > 0).sorted().toArray();
        System.out.printf("== %s: offered %d/s for %d s (%d requests, %d connections, %s)%n", label, rate, seconds, total,
                connections, distinct ? "every edge distinct" : repeatPercent + "% on 50 repeated edges");
        System.out.printf("achieved   %.0f decisions/s (%d answered in %.1f s), errors %d, reconnects %d%n",
                ok.length / elapsed, ok.length, elapsed, errors.sum(), reconnects.sum());
        System.out.printf("response   p50 %s  p99 %s  p99.9 %s  max %s   (from the due time: queueing included)%n",
                ms(pct(ok, 50)), ms(pct(ok, 99)), ms(pct(ok, 99.9)), ms(ok.length == 0 ? -1 : ok[ok.length - 1]));
        System.out.printf("service    p50 %s  p99 %s  p99.9 %s   (from the actual send)%n",
                ms(pct(svc, 50)), ms(pct(svc, 99)), ms(pct(svc, 99.9)));
        if (pid > 0) {
            System.out.printf("server CPU %d ms = %.1f µs per decision (pid %d and children)%n", cpu,
                    ok.length == 0 ? 0 : cpu * 1000.0 / ok.length, pid);
        }
        System.out.println("answers    " + new TreeMap<>(answers));
        System.out.println("load       before " + loadBefore + " / after " + loadAfter);
        System.out.printf("RESULT %s rate=%d achieved=%.0f p50=%s p99=%s p999=%s errors=%d cpu_us=%.1f load=%s%n", label, rate,
                ok.length / elapsed, ms(pct(ok, 50)), ms(pct(ok, 99)), ms(pct(ok, 99.9)), errors.sum(),
                pid > 0 && ok.length > 0 ? cpu * 1000.0 / ok.length : -1.0, loadAfter.split(" ")[0]);
    }

    /** Sends {@code total} requests on schedule; returns the time the last answer arrived. */
    private long phase(long total, long[] response, long[] service) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        AtomicLong next = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int conn = c;
            threads[c] = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(conn * 7919L + System.nanoTime());
                Connection connection = null;
                long i;
                while ((i = next.getAndIncrement()) < total) {
                    long due = start + i * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long sent = System.nanoTime();
                    try {
                        if (connection == null) {
                            connection = milter ? new MilterConnection(port) : new PolicyConnection(port);
                            reconnects.increment();
                        }
                        String answer = connection.ask(i, edge(random, i));
                        long done = System.nanoTime();
                        lastDone.accumulateAndGet(done, Math::max);
                        answers.computeIfAbsent(answer, k -> new LongAdder()).increment();
                        if (response != null) {
                            response[(int) i] = done - due;
                            service[(int) i] = Math.max(1, done - sent);
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.increment();
                        answers.computeIfAbsent("error: " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                        if (connection != null) {
                            connection.close();
                        }
                        connection = null;
                    }
                }
                if (connection != null) {
                    connection.close();
                }
            }, "load-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return Math.max(lastDone.get(), start + 1);
    }

    /** Sender and recipient of request i: mostly distinct pairs, some on 50 repeated edges, 1 % bounces. */
    private String[] edge(SplittableRandom random, long i) {
        if (distinct) {
            long n = distinctCounter.getAndIncrement();
            return new String[]{"s" + n + "@ext" + (n % 997) + ".example", "r" + n + "@corp.example"};
        }
        int roll = random.nextInt(100);
        if (roll < repeatPercent) {
            int k = random.nextInt(50);
            return new String[]{"news" + k + "@partner" + k + ".example", "user" + k + "@corp.example"};
        }
        String sender = roll == 99 ? "" : "s" + random.nextInt(20_000) + "@ext" + random.nextInt(500) + ".example";
        return new String[]{sender, "u" + random.nextInt(20_000) + "@corp.example"};
    }

    private interface Connection {
        String ask(long i, String[] edge) throws IOException;

        void close();
    }

    /** Postfix's policy request at RCPT (the attributes of Postfix 3.7, SMTPD_POLICY_README). */
    private static final class PolicyConnection implements Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        PolicyConnection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        @Override
        public String ask(long i, String[] edge) throws IOException {
            String request = "request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n"
                    + "client_address=127.0.0.1\nclient_name=localhost\nclient_port=40000\nreverse_client_name=localhost\n"
                    + "server_address=127.0.0.1\nserver_port=25\nhelo_name=mx.ext.example\n"
                    + "sender=" + edge[0] + "\nrecipient=" + edge[1] + "\nrecipient_count=0\nqueue_id=\n"
                    + "instance=" + Long.toHexString(0x1000_0000L + i) + ".656f1a2b.1.0\nsize=0\netrn_domain=\nstress=\n"
                    + "sasl_method=\nsasl_username=\nsasl_sender=\nccert_subject=\nccert_issuer=\nccert_fingerprint=\n"
                    + "ccert_pubkey_fingerprint=\nencryption_protocol=\nencryption_cipher=\nencryption_keysize=0\n"
                    + "policy_context=\ncompatibility_level=3.6\nmail_version=3.7.11\n\n";
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            StringBuilder answer = new StringBuilder();
            int prev = -1;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n' && prev == '\n') {
                    String a = answer.toString().strip();
                    // "action=DEFER_IF_PERMIT 4.7.1 …" → "DEFER_IF_PERMIT"
                    String action = a.startsWith("action=") ? a.substring(7) : a;
                    int sp = action.indexOf(' ');
                    return (sp > 0 ? action.substring(0, sp) : action).toUpperCase(java.util.Locale.ROOT);
                }
                answer.append((char) b);
                prev = b;
            }
            throw new IOException("connection closed by the policy server");
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** One message per request over the milter protocol (negotiation once per connection). */
    private static final class MilterConnection implements Connection {
        private final MilterClient client;

        MilterConnection(int port) throws IOException {
            client = new MilterClient(port);
        }

        @Override
        public String ask(long i, String[] edge) throws IOException {
            Map<String, String> headers = new HashMap<>();
            headers.put("From", edge[0].isEmpty() ? "MAILER-DAEMON@mx.ext.example" : edge[0]);
            headers.put("To", edge[1]);
            headers.put("Subject", "load " + i);
            headers.put("Message-ID", "<" + i + "." + System.nanoTime() + "@load.example>");
            char a = client.message(Long.toHexString(0x1000_0000L + i), edge[0], edge[1], headers);
            return switch (a) {
                case 'c' -> "CONTINUE";
                case 'q' -> "QUARANTINE";
                case 't' -> "TEMPFAIL";
                default -> "milter " + a;
            };
        }

        @Override
        public void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "n/a" : String.format("%.3f ms", nanos / 1e6);
    }

    private static String load() {
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return l[0] + " " + l[1] + " " + l[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** User + system CPU of a process and its live descendants, from /proc (ms). */
    static long cpuMillis(long pid) {
        if (pid <= 0) {
            return 0;
        }
        long ticks = 0;
        List<Long> pids = new java.util.ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile
            }
        }
        return ticks * 10; // USER_HZ is 100 on Linux
    }
}
