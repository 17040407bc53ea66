import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds N mailboxes with autoreplies and N forwards through the API (500 items per request,
 * approved by a second user), then registers a Dovecot (ManageSieve) and a Postfix (pgsql alias
 * table) server: registering queues a full reconcile of each. Reports how long until both are
 * APPLIED, then how long a full drift check (read back everything) takes.
 *
 *   java bench/ReconcileBench.java BASE_URL ADMIN_PW REQ:PW APPR:PW N SIEVE_HOSTPORT SIEVE_MASTER SIEVE_SECRET_FILE PG_ENDPOINT
 */
public class ReconcileBench {

    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static String base;

    public static void main(String[] a) throws Exception {
        base = a[0];
        String admin = "admin:" + a[1];
        String req = a[2];
        String appr = a[3];
        int n = Integer.parseInt(a[4]);
        long t0 = System.nanoTime();
        int requests = 0;
        for (String kind : new String[]{"MAILBOX", "FORWARD", "AUTOREPLY"}) {
            for (int from = 0; from < n; from += 500) {
                StringBuilder items = new StringBuilder();
                for (int i = from; i < Math.min(n, from + 500); i++) {
                    String box = "user" + i + "@corp.example";
                    String spec = switch (kind) {
                        case "MAILBOX" -> "{\"address\":\"" + box + "\"}";
                        case "AUTOREPLY" -> "{\"mailbox\":\"" + box + "\",\"subject\":\"不在のお知らせ " + i + "\",\"body\":\"" + i
                                + " は不在です。\\nI am out of office.\",\"intervalDays\":1,\"audience\":\"INTERNAL\",\"addresses\":[\"alias" + i + "@corp.example\"]}";
                        default -> "{\"source\":\"alias" + i + "@corp.example\",\"targets\":[\"" + box + "\"]}";
                    };
                    items.append(items.length() == 0 ? "" : ",").append("{\"action\":\"CREATE\",\"kind\":\"").append(kind)
                            .append("\",\"spec\":").append(spec).append('}');
                }
                String body = "{\"department\":\"BENCH\",\"title\":\"seed " + kind + " " + from + "\",\"reason\":\"benchmark\",\"items\":[" + items + "]}";
                String created = call("POST", "/api/v1/change-requests", req, body, 201);
                String id = field(created, "id");
                call("POST", "/api/v1/change-requests/" + id + "/approve", appr, "{\"comment\":\"bench\"}", 200);
                requests++;
            }
        }
        System.out.printf("seeded %d mailboxes + %d autoreplies + %d forwards in %d requests: %.1f s%n", n, n, n, requests, secs(t0));

        long t1 = System.nanoTime();
        // BENCH_SIEVE_TLS=<CA file>: STARTTLS as with a remote Dovecot (the stack's certificate names "localhost")
        String tlsCa = System.getenv("BENCH_SIEVE_TLS");
        String endpoint = tlsCa == null ? a[5] : a[5].replace("127.0.0.1", "localhost");
        String tls = tlsCa == null ? "" : ",\"tls\":\"require\",\"tlsTrust\":\"" + tlsCa + "\"";
        String dovecot = field(call("POST", "/api/v1/mail-servers", admin, "{\"name\":\"dovecot\",\"kind\":\"DOVECOT_MANAGESIEVE\",\"endpoint\":\""
                + endpoint + "\",\"username\":\"" + a[6] + "\",\"credentialRef\":\"file:" + a[7] + "\",\"options\":{\"concurrency\":\""
                + System.getenv().getOrDefault("BENCH_SIEVE_CONCURRENCY", "8") + "\"" + tls + "}}", 201), "id");
        String postfix = field(call("POST", "/api/v1/mail-servers", admin, "{\"name\":\"postfix\",\"kind\":\"POSTFIX_PGSQL\",\"endpoint\":\""
                + a[8] + "\",\"username\":\"postgres\"}", 201), "id");
        double dDone = 0;
        double pDone = 0;
        String dJob = null;
        String pJob = null;
        while ((dDone == 0 || pDone == 0) && secs(t1) < 1800) {
            Thread.sleep(250);
            if (dDone == 0) {
                dJob = call("GET", "/api/v1/mail-servers/" + dovecot + "/push-jobs", admin, null, 200);
                if (!dJob.contains("\"PENDING\"")) {
                    dDone = secs(t1);
                }
            }
            if (pDone == 0) {
                pJob = call("GET", "/api/v1/mail-servers/" + postfix + "/push-jobs", admin, null, 200);
                if (!pJob.contains("\"PENDING\"")) {
                    pDone = secs(t1);
                }
            }
        }
        System.out.printf("reconcile into the stack: postfix %d aliases %.1f s (%s, changed %s), dovecot %d autoreplies %.1f s (%s, changed %s); both %.1f s%n",
                n, pDone, field(pJob, "status"), field(pJob, "changed"), n, dDone, field(dJob, "status"), field(dJob, "changed"), Math.max(pDone, dDone));
        System.out.printf("throughput: %.0f artifacts/s%n", 2.0 * n / Math.max(pDone, dDone));
        if (!"APPLIED".equals(field(dJob, "status")) || !"APPLIED".equals(field(pJob, "status"))) {
            System.out.println("ERRORS: dovecot " + dJob + " postfix " + pJob);
        }
        for (String[] s : new String[][]{{"postfix", postfix}, {"dovecot", dovecot}}) {
            long t2 = System.nanoTime();
            String drift = call("GET", "/api/v1/mail-servers/" + s[1] + "/drift?limit=5", admin, null, 200);
            System.out.printf("drift check %s (read back everything): %.1f s, differences %s%n", s[0], secs(t2), field(drift, "total"));
        }
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static String call(String method, String path, String user, String body, int expect) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(400, r.body().length())));
        }
        return r.body();
    }

    /** First value of a JSON field (good enough for these flat answers). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.]+|true|false|null)").matcher(json);
        return m.find() ? (m.group(2) != null ? m.group(2) : m.group(1)) : null;
    }
}
