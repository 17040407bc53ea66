package com.mailgov.push.connector;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vacation scripts on Dovecot/Pigeonhole over ManageSieve, logged in as a master user for each
 * mailbox (SASL PLAIN, authzid = mailbox).
 *
 * <p>mailgov owns two scripts per mailbox: {@value #VACATION_SCRIPT} (the VACATION content, byte
 * for byte) and the active wrapper {@value #WRAPPER_SCRIPT}, which includes it and, if the user had
 * an active script of their own, includes that one too ({@code :optional}) — so the user's filters
 * keep running, and on removal their script is made active again (its name is read back from the
 * wrapper, so nothing is kept on our side).
 *
 * <p>Reading a mailbox (a VACATION or UNMANAGED_VACATION key, or every mailbox of an "everything"
 * scope) returns both types for it: whether mailgov's vacation is active, and whether a script of
 * the user's own that mentions {@code vacation} is active instead (drift the reconciler must see
 * before pushing over it).
 *
 * <p>Mailboxes are independent, so they are handled in parallel: one connection per mailbox, at most
 * option {@code concurrency} (default 8) at a time; option {@code timeoutMillis} (default 10000)
 * bounds connect and each read. Option {@code tls=require} upgrades with STARTTLS (JVM trust store;
 * not exercised by the tests, whose loopback Dovecot has {@code ssl = no}); default: plain.
 * Endpoint: {@code host:port} (port 4190 if omitted).
 */
public final class DovecotSieveConnector implements MailServerConnector {

    static final String VACATION_SCRIPT = "mailgov-vacation";
    static final String WRAPPER_SCRIPT = "mailgov";
    private static final String WRAPPER_HEAD = "require [\"include\"];\ninclude :personal \"" + VACATION_SCRIPT + "\";\n";
    private static final Pattern USER_INCLUDE =
            Pattern.compile("include\\s+:personal\\s+:optional\\s+\"((?:[^\"\\\\]|\\\\.)*)\"\\s*;");

    private final MailServerTarget target;
    private final String host;
    private final int port;
    private final int concurrency;
    private final int timeoutMillis;
    private final boolean startTls;

    /** Wrapper texts the server accepted in CHECKSCRIPT during this job. */
    private final Set<String> checkedWrappers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DovecotSieveConnector(MailServerTarget target) {
        this.target = target;
        URI uri = URI.create("sieve://" + target.endpoint().trim());
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be host:port: " + target.endpoint());
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 4190 : uri.getPort();
        this.concurrency = Math.max(1, Integer.parseInt(target.option("concurrency", "8")));
        this.timeoutMillis = Math.max(1, Integer.parseInt(target.option("timeoutMillis", "10000")));
        this.startTls = "require".equalsIgnoreCase(target.option("tls", "none"));
    }

    // ------------------------------------------------------------------ read

    @Override
    public Map<ArtifactKey, String> read(ReadScope scope) throws ConnectorException {
        Collection<String> mailboxes;
        if (scope.isEverything()) {
            mailboxes = scope.mailboxes() == null ? Set.of() : scope.mailboxes();
        } else {
            // UNMANAGED_VACATION is read with the mailbox's VACATION: one session tells both
            Set<String> m = new TreeSet<>();
            for (ArtifactKey k : scope.keys()) {
                if (k.type() == ArtifactType.VACATION || k.type() == ArtifactType.UNMANAGED_VACATION) {
                    m.add(k.key());
                }
            }
            mailboxes = m;
        }
        Map<ArtifactKey, String> result = new TreeMap<>();
        forEachMailbox(mailboxes, false, mailbox -> {
            Map<ArtifactKey, String> found = session(mailbox, this::readMailbox);
            synchronized (result) {
                result.putAll(found);
            }
        });
        return result;
    }

    private Map<ArtifactKey, String> readMailbox(ManageSieveClient c, String mailbox) throws IOException, ConnectorException {
        String active = activeScript(c.listScripts());
        if (active == null) {
            return Map.of();
        }
        if (active.equals(WRAPPER_SCRIPT)) {
            byte[] vacation = c.getScript(VACATION_SCRIPT);
            return vacation == null ? Map.of()
                    : Map.of(ArtifactKey.vacation(mailbox), new String(vacation, StandardCharsets.UTF_8));
        }
        byte[] own = c.getScript(active);
        if (own != null && new String(own, StandardCharsets.UTF_8).contains("vacation")) {
            return Map.of(new ArtifactKey(ArtifactType.UNMANAGED_VACATION, mailbox), active);
        }
        return Map.of();
    }

    // ------------------------------------------------------------------ apply

    @Override
    public void apply(Map<ArtifactKey, String> changes) throws ConnectorException {
        Map<String, String> byMailbox = new TreeMap<>();
        Set<String> removals = new TreeSet<>();
        for (Map.Entry<ArtifactKey, String> e : changes.entrySet()) {
            if (e.getKey().type() != ArtifactType.VACATION) {
                throw new ConnectorException("ManageSieve cannot apply " + e.getKey().type() + " (" + e.getKey() + ")", false);
            }
            if (e.getValue() == null) {
                removals.add(e.getKey().key());
            } else {
                byMailbox.put(e.getKey().key(), e.getValue());
            }
        }
        Set<String> all = new TreeSet<>(byMailbox.keySet());
        all.addAll(removals);
        forEachMailbox(all, true, mailbox -> session(mailbox, (c, m) -> {
            String content = byMailbox.get(m);
            if (content == null) {
                remove(c, m);
            } else {
                put(c, m, content);
            }
            return null;
        }));
    }

    private void put(ManageSieveClient c, String mailbox, String content) throws IOException, ConnectorException {
        List<ManageSieveClient.Script> scripts = c.listScripts();
        String active = activeScript(scripts);
        String userScript = null;
        byte[] wrapperNow = null;
        if (WRAPPER_SCRIPT.equals(active)) {
            wrapperNow = c.getScript(WRAPPER_SCRIPT);
            userScript = wrapperNow == null ? null : userScriptOf(new String(wrapperNow, StandardCharsets.UTF_8));
        } else if (active != null && !active.equals(VACATION_SCRIPT)) {
            userScript = active;
        }

        byte[] vacation = content.getBytes(StandardCharsets.UTF_8);
        byte[] vacationNow = exists(scripts, VACATION_SCRIPT) ? c.getScript(VACATION_SCRIPT) : null;
        if (!Arrays.equals(vacation, vacationNow)) {
            check(c, mailbox, VACATION_SCRIPT, vacation);
            c.expectOk("PUTSCRIPT " + VACATION_SCRIPT, c.putScript(VACATION_SCRIPT, vacation));
        }
        byte[] wrapper = wrapper(userScript).getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(wrapper, wrapperNow)) {
            // most mailboxes share one wrapper text: the server checks each distinct text once per job
            String text = new String(wrapper, StandardCharsets.UTF_8);
            if (!checkedWrappers.contains(text)) {
                check(c, mailbox, WRAPPER_SCRIPT, wrapper);
                checkedWrappers.add(text);
            }
            c.expectOk("PUTSCRIPT " + WRAPPER_SCRIPT, c.putScript(WRAPPER_SCRIPT, wrapper));
        }
        if (!WRAPPER_SCRIPT.equals(active)) {
            c.expectOk("SETACTIVE " + WRAPPER_SCRIPT, c.setActive(WRAPPER_SCRIPT));
        }
    }

    private void remove(ManageSieveClient c, String mailbox) throws IOException {
        List<ManageSieveClient.Script> scripts = c.listScripts();
        String active = activeScript(scripts);
        if (WRAPPER_SCRIPT.equals(active) || VACATION_SCRIPT.equals(active)) {
            byte[] wrapper = WRAPPER_SCRIPT.equals(active) ? c.getScript(WRAPPER_SCRIPT) : null;
            String userScript = wrapper == null ? null : userScriptOf(new String(wrapper, StandardCharsets.UTF_8));
            // the user may have deleted their script since: then nothing becomes active
            if (userScript == null || !exists(scripts, userScript) || !c.setActive(userScript).ok()) {
                c.expectOk("SETACTIVE \"\"", c.setActive(""));
            }
        }
        for (String name : List.of(WRAPPER_SCRIPT, VACATION_SCRIPT)) {
            if (exists(scripts, name)) {
                ManageSieveClient.Response r = c.deleteScript(name);
                if (!r.ok() && !r.hasCode("NONEXISTENT")) {
                    throw new ManageSieveClient.ServerNo("DELETESCRIPT " + name, r);
                }
            }
        }
    }

    /** CHECKSCRIPT first: a script the server rejects never replaces a working one. */
    private static void check(ManageSieveClient c, String mailbox, String name, byte[] script)
            throws IOException, ConnectorException {
        ManageSieveClient.Response r = c.checkScript(script);
        if (r.ok()) {
            return;
        }
        if ("BYE".equals(r.status()) || r.hasCode("TRYLATER")) {
            throw new ManageSieveClient.ServerNo("CHECKSCRIPT", r);
        }
        throw new ConnectorException("Sieve script " + name + " for " + mailbox + " rejected by the server: " + r.text(), false);
    }

    /** The active wrapper: our vacation first, then the user's own script if there was one. */
    static String wrapper(String userScript) {
        if (userScript == null) {
            return WRAPPER_HEAD;
        }
        return WRAPPER_HEAD + "include :personal :optional \""
                + userScript.replace("\\", "\\\\").replace("\"", "\\\"") + "\";\n";
    }

    /** The user's script named by a wrapper, or null. */
    static String userScriptOf(String wrapper) {
        Matcher m = USER_INCLUDE.matcher(wrapper);
        return m.find() ? m.group(1).replaceAll("\\\\(.)", "$1") : null;
    }

    private static String activeScript(List<ManageSieveClient.Script> scripts) {
        for (ManageSieveClient.Script s : scripts) {
            if (s.active()) {
                return s.name();
            }
        }
        return null;
    }

    private static boolean exists(List<ManageSieveClient.Script> scripts, String name) {
        for (ManageSieveClient.Script s : scripts) {
            if (s.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ sessions and parallelism

    /** Login refused: wrong master credentials affect every mailbox, so the run stops. */
    private static final class LoginRefused extends ConnectorException {
        LoginRefused(String message, boolean retryable) {
            super(message, retryable);
        }
    }

    private interface MailboxWork<T> {
        T run(ManageSieveClient client, String mailbox) throws IOException, ConnectorException;
    }

    private interface MailboxTask {
        void run(String mailbox) throws ConnectorException;
    }

    /** One connection, logged in for the mailbox; I/O problems become retryable failures. */
    private <T> T session(String mailbox, MailboxWork<T> work) throws ConnectorException {
        ManageSieveClient c;
        try {
            c = ManageSieveClient.connect(host, port, timeoutMillis, startTls);
        } catch (IOException e) {
            throw ioFailure("connecting to", mailbox, e);
        }
        try {
            ManageSieveClient.Response auth = c.authenticatePlain(mailbox, target.username(), target.secret());
            if (!auth.ok()) {
                // TRYLATER: the auth backend is down, not the credentials wrong
                boolean retry = auth.hasCode("TRYLATER") || "BYE".equals(auth.status());
                throw new LoginRefused(target.name() + ": login as " + target.username() + " for " + mailbox
                        + " refused: " + auth.text(), retry);
            }
            T result = work.run(c, mailbox);
            c.logout();
            return result;
        } catch (IOException e) {
            throw ioFailure("talking to", mailbox, e);
        } finally {
            c.close();
        }
    }

    private ConnectorException ioFailure(String what, String mailbox, IOException e) {
        String reason;
        if (e instanceof ManageSieveClient.ServerNo) {
            reason = e.getMessage();
            // a plain NO to a well-formed command will be a NO next time too
            ManageSieveClient.Response r = ((ManageSieveClient.ServerNo) e).response;
            boolean retry = "BYE".equals(r.status()) || r.hasCode("TRYLATER");
            return new ConnectorException(target.name() + " (" + mailbox + "): " + reason, retry, e);
        } else if (e instanceof SocketTimeoutException) {
            reason = "timed out after " + timeoutMillis + " ms";
        } else if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            reason = "connection refused";
        } else if (e instanceof UnknownHostException) {
            reason = "unknown host";
        } else {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new ConnectorException(target.name() + ": " + what + " " + host + ":" + port + " for " + mailbox
                + " failed: " + reason, true, e);
    }

    /**
     * Runs the task for every mailbox on a bounded pool. Server-wide trouble (unreachable, timeouts,
     * login refused) stops the remaining mailboxes at once — 10,000 timeouts would take hours; a
     * script rejected for one mailbox does not stop the others when {@code keepGoing}.
     */
    private void forEachMailbox(Collection<String> mailboxes, boolean keepGoing, MailboxTask task)
            throws ConnectorException {
        if (mailboxes.isEmpty()) {
            return;
        }
        int threads = Math.min(concurrency, mailboxes.size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "managesieve-" + target.name() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicReference<ConnectorException> stop = new AtomicReference<>();
        List<ConnectorException> failures = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> futures = new ArrayList<>(mailboxes.size());
            for (String mailbox : mailboxes) {
                futures.add(pool.submit(() -> {
                    if (stop.get() != null) {
                        return;
                    }
                    try {
                        task.run(mailbox);
                    } catch (ConnectorException e) {
                        failures.add(e);
                        if (!keepGoing || e.retryable() || e instanceof LoginRefused) {
                            stop.compareAndSet(null, e);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new ConnectorException(target.name() + ": unexpected failure: " + e.getCause(), true, e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(target.name() + ": interrupted", true, e);
        } finally {
            pool.shutdownNow();
        }
        if (failures.isEmpty()) {
            return;
        }
        ConnectorException first = stop.get() != null ? stop.get() : failures.get(0);
        if (failures.size() == 1) {
            throw first;
        }
        // retrying helps only if every failure was of the passing kind
        boolean retryable = failures.stream().allMatch(ConnectorException::retryable);
        throw new ConnectorException(failures.size() + " of " + mailboxes.size() + " mailboxes failed"
                + (stop.get() != null ? " (stopped early)" : "") + "; first: " + first.getMessage(), retryable, first);
    }
}
