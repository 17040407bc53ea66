package com.mailgov.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryState;
import com.mailgov.directory.ObjectKind;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test) of reading the synthetic 282k-object directory of
 * {@link PolicyEngineBenchmark} through GET /api/v1/directory: {@code load} writes it into a
 * mailgov database as revision 1 (COPY, no change requests); {@code read} pages through it with
 * the cursors, then downloads the CSV export, and prints times. Run with bench/directory-pages.sh,
 * which also reports the service's memory.
 */
public final class DirectoryPagingBenchmark {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "load" -> load(args[1], args[2]);
            case "read" -> read(args[1], args[2], Integer.parseInt(args[3]), args.length > 4 && "unpaged".equals(args[4]));
            default -> throw new IllegalArgumentException("load <jdbc-url> <user> | read <base-url> <user:password> <limit> [unpaged]");
        }
    }

    /** The directory as rows of revision 1, department BENCH (which must exist). */
    static void load(String jdbc, String user) throws Exception {
        DirectoryState state = new DirectoryState();
        PolicyEngineBenchmark.build(state, new Random(42));
        ObjectMapper json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        StringBuilder rows = new StringBuilder();
        long id = 0;
        for (ObjectKind kind : ObjectKind.values()) {
            for (DirectoryEntry e : state.all(kind)) {
                rows.append(++id).append('\t').append(kind.name()).append('\t').append(copyText(e.spec().key()))
                        .append("\tBENCH\t").append(copyText(json.writeValueAsString(e.spec()))).append("\t1\t\\N\n");
            }
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc, user, null)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO directory_revision (number, change_request_id, created_by, created_at) VALUES (1, NULL, 'bench', now())");
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY directory_object (id, kind, object_key, department_code, spec, from_revision, to_revision) FROM STDIN",
                    new StringReader(rows.toString()));
            try (Statement s = c.createStatement()) {
                s.execute("SELECT setval('directory_object_seq', " + (id + 1000) + ")");
                s.execute("UPDATE directory_head SET revision = 1 WHERE id = 1");
            }
            c.commit();
        }
        System.out.printf("loaded %d objects as revision 1 in %.1f s%n", id, (System.nanoTime() - t0) / 1e9);
    }

    private static String copyText(String value) {
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static void read(String base, String credentials, int limit, boolean unpaged) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        if (unpaged) {
            // the service before paging: one request, every object
            long t0 = System.nanoTime();
            HttpResponse<InputStream> r = http.send(get(base + "/api/v1/directory", auth), HttpResponse.BodyHandlers.ofInputStream());
            long bytes;
            int objects = -1;
            try (InputStream in = r.body()) {
                byte[] body = in.readAllBytes();
                bytes = body.length;
                if (r.statusCode() == 200) {
                    objects = json.readTree(body).get("objects").size();
                }
            }
            System.out.printf("unpaged GET /api/v1/directory: HTTP %d, %d objects, %.1f MB in %.2f s%n", r.statusCode(), objects,
                    bytes / 1e6, (System.nanoTime() - t0) / 1e9);
            return;
        }
        List<Long> pageNanos = new ArrayList<>();
        long objects = 0;
        String cursor = null;
        long t0 = System.nanoTime();
        do {
            String url = base + "/api/v1/directory?limit=" + limit + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            long p0 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(get(url, auth), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            JsonNode page = json.readTree(r.body());
            pageNanos.add(System.nanoTime() - p0);
            objects += page.get("objects").size();
            cursor = page.path("next").isTextual() ? page.get("next").asText() : null;
        } while (cursor != null);
        double total = (System.nanoTime() - t0) / 1e9;
        Collections.sort(pageNanos);
        System.out.printf("paged (limit %d): %d objects in %d pages, %.1f s; per page p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                limit, objects, pageNanos.size(), total, pageNanos.get(pageNanos.size() / 2) / 1e6,
                pageNanos.get((int) (pageNanos.size() * 0.99)) / 1e6, pageNanos.get(pageNanos.size() - 1) / 1e6);

        long c0 = System.nanoTime();
        HttpResponse<InputStream> csv = http.send(get(base + "/api/v1/directory?format=csv", auth), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long lines = 0;
        try (InputStream in = csv.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        System.out.printf("CSV export (streamed): HTTP %d, %d rows, %.1f MB in %.2f s%n", csv.statusCode(), lines - 1, bytes / 1e6,
                (System.nanoTime() - c0) / 1e9);
    }

    private static HttpRequest get(String url, String auth) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Authorization", auth).header("Accept", "application/json, text/csv").build();
    }
}
