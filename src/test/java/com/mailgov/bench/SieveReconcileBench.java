package com.mailgov.bench;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.DovecotSieveConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.ReadScope;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.testsupport.MailStack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Times {@link DovecotSieveConnector} on N mailboxes of a private stack (no Mailman): apply N
 * vacations (all new), read them all back, apply again unchanged, remove all.
 *
 * <pre>
 * mvn -q test-compile
 * java -cp target/classes:target/test-classes com.mailgov.bench.SieveReconcileBench 1000 [concurrency] [tuned]
 * </pre>
 * Run from the project root (stack.sh is found relative to it), as root.
 *
 * <p>Measured on 2 cores shared with another engineer's test run (load 8-13), concurrency 8:
 * stock stack config, N=1000: apply(new) 70.7 s, read 69.4 s, apply(unchanged) 67.5 s, remove 80.7 s
 * (Dovecot forks+execs a login and a managesieve process per connection: ~14 sessions/s);
 * {@code tuned}, N=1000: 9.6 s / 2.0 s / 1.6 s / 3.2 s; N=10000: 106.8 s / 18.5 s / 17.9 s / 40.6 s.
 */
public final class SieveReconcileBench {

    static final String TUNING = """
            service managesieve-login {
              service_count = 0
              process_min_avail = 2
            }
            service managesieve {
              service_count = 1000
              process_min_avail = 8
            }
            """;

    private SieveReconcileBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String concurrency = args.length > 1 ? args[1] : "8";
        boolean tuned = args.length > 2 && args[2].equals("tuned");
        MailStack stack = MailStack.start(false);
        try {
            if (tuned) {
                // Dovecot's defaults fork+exec a login and a managesieve process per connection
                // (~20/s on 2 busy cores); production servers reuse them like this
                stack.appendDovecotConfig(TUNING);
            }
            List<String> mailboxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                mailboxes.add("bench" + i + "@corp.example");
            }
            stack.addUsers(mailboxes, false);
            MailServerTarget target = new MailServerTarget("bench", ServerKind.DOVECOT_MANAGESIEVE,
                    "127.0.0.1:" + stack.port("MANAGESIEVE_PORT"), stack.env("SIEVE_MASTER_USER"),
                    stack.env("SIEVE_MASTER_PASSWORD"), Map.of("concurrency", concurrency));
            DovecotSieveConnector c = new DovecotSieveConnector(target);
            Map<ArtifactKey, String> changes = new TreeMap<>();
            for (String m : mailboxes) {
                changes.put(ArtifactKey.vacation(m), "require [\"vacation\"];\r\nvacation :days 1 :subject \"不在 " + m
                        + "\" \"12月31日まで不在です。\";\r\n");
            }
            long t0 = System.nanoTime();
            c.apply(changes);
            long t1 = System.nanoTime();
            Map<ArtifactKey, String> back = c.read(ReadScope.everything(Set.copyOf(mailboxes)));
            long t2 = System.nanoTime();
            c.apply(changes);
            long t3 = System.nanoTime();
            Map<ArtifactKey, String> removals = new HashMap<>();
            changes.keySet().forEach(k -> removals.put(k, null));
            c.apply(removals);
            long t4 = System.nanoTime();
            if (!back.equals(changes)) {
                throw new AssertionError("read back " + back.size() + " of " + n + " vacations, or different content");
            }
            System.out.printf("N=%d concurrency=%s dovecot=%s: apply(new) %.1f s, read(all) %.1f s, apply(unchanged) %.1f s, remove %.1f s%n",
                    n, concurrency, tuned ? "tuned" : "stock", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
        } finally {
            stack.stop();
        }
    }
}
