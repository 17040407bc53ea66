package com.mailgov.push.connector;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads, for each mailbox, which Sieve script is active and its text, over ManageSieve as the
 * master user — only reads (LISTSCRIPTS, GETSCRIPT), so it is safe on a server mailgov observes.
 * One mailbox's failure is that mailbox's result, never the whole read's.
 */
public final class ActiveSieveReader {

    /** A mailbox's active script (null name: none active), or why it could not be read. */
    public record ActiveScript(String mailbox, String name, String text, List<String> allScripts, String error) {
    }

    private final MailServerTarget target;
    private final String host;
    private final int port;
    private final int concurrency;
    private final int timeoutMillis;
    private final SSLSocketFactory tls;

    public ActiveSieveReader(MailServerTarget target) throws ConnectorException {
        this.target = target;
        URI uri = URI.create("sieve://" + target.endpoint().trim());
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 4190 : uri.getPort();
        this.concurrency = Math.max(1, Integer.parseInt(target.option("concurrency", "8")));
        this.timeoutMillis = Math.max(1, Integer.parseInt(target.option("timeoutMillis", "10000")));
        this.tls = ManageSieveTls.socketFactory(host, target.options() == null ? Map.of() : target.options());
    }

    public List<ActiveScript> read(Collection<String> mailboxes) throws InterruptedException {
        Map<String, ActiveScript> out = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, mailboxes.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String m : mailboxes) {
                futures.add(pool.submit(() -> out.put(m, readOne(m))));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // readOne catches its own failures; nothing else can be thrown
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        List<ActiveScript> result = new ArrayList<>();
        for (String m : mailboxes) {
            result.add(out.get(m));
        }
        return result;
    }

    private ActiveScript readOne(String mailbox) {
        try (ManageSieveClient c = ManageSieveClient.connect(host, port, timeoutMillis, tls)) {
            ManageSieveClient.Response auth = c.authenticatePlain(mailbox, target.username(), target.secret());
            if (!auth.ok()) {
                return new ActiveScript(mailbox, null, null, List.of(), "login refused: " + auth.text());
            }
            List<ManageSieveClient.Script> scripts = c.listScripts();
            String active = scripts.stream().filter(ManageSieveClient.Script::active).map(ManageSieveClient.Script::name)
                    .findFirst().orElse(null);
            String text = active == null ? null : new String(c.getScript(active), StandardCharsets.UTF_8);
            c.logout();
            return new ActiveScript(mailbox, active, text, scripts.stream().map(ManageSieveClient.Script::name).toList(), null);
        } catch (IOException e) {
            return new ActiveScript(mailbox, null, null, List.of(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
