package com.mailgov.push.connector;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vacation scripts on Dovecot/Pigeonhole over ManageSieve, logged in as a master user for each
 * mailbox (SASL PLAIN, authzid = mailbox).
 *
 * <p>mailgov owns {@value #VACATION_SCRIPT} (the VACATION content, byte for byte). A mailbox's own
 * active script is the user's: it is read and reported (USER_SIEVE, with the responders it has),
 * never changed, deleted or run under mailgov's name. When mailgov's vacation is added:
 * <ul>
 * <li>no script of the user's is active: the vacation itself becomes the active script;</li>
 * <li>the user's active script has no responder action ({@code vacation}, {@code notify},
 *     {@code redirect}, {@code reject}, {@code ereject}; its {@code :personal} includes inspected too):
 *     the active script becomes the wrapper {@value #WRAPPER_SCRIPT}, which includes the vacation and
 *     then the user's script ({@code :optional}) — their filters keep running;</li>
 * <li>otherwise (a responder of their own, a {@code :global} include, a script that cannot be read):
 *     nothing is wrapped — Pigeonhole refuses two vacation actions, and a user's responder must not run
 *     as mailgov's. Their script stays active and mailgov's vacation for that mailbox is held with the
 *     reason (a non-retryable failure of that mailbox). A wrapper made earlier is undone.</li>
 * </ul>
 * Removing mailgov's vacation makes the user's script active again (its name is read back from the
 * wrapper, so nothing is kept on our side).
 *
 * <p>Reading a mailbox (a VACATION or USER_SIEVE key, or every mailbox of an "everything" scope)
 * returns both types for it.
 *
 * <p>Mailboxes are independent, so they are handled in parallel: one connection per mailbox, at most
 * option {@code concurrency} (default 8) at a time; option {@code timeoutMillis} (default 10000)
 * bounds connect and each read. TLS: see {@link ManageSieveTls} (STARTTLS required unless the
 * endpoint is loopback). Endpoint: {@code host:port} (port 4190 if omitted).
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
    /** STARTTLS with this, or null for plain. */
    private final SSLSocketFactory tls;

    /** Whether any login succeeded during this job: then a refused one is that mailbox's problem, not the credentials'. */
    private final AtomicBoolean loggedIn = new AtomicBoolean();

    /** Tells responders from plain filters in a user's script. */
    private final SieveInspector inspector;

    /** Wrapper texts the server accepted in CHECKSCRIPT during this job. */
    private final Set<String> checkedWrappers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DovecotSieveConnector(MailServerTarget target) throws ConnectorException {
        this(target, new ParsedSieveInspector());
    }

    public DovecotSieveConnector(MailServerTarget target, SieveInspector inspector) throws ConnectorException {
        this.target = target;
        this.inspector = inspector;
        URI uri = URI.create("sieve://" + target.endpoint().trim());
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be host:port: " + target.endpoint());
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 4190 : uri.getPort();
        this.concurrency = Math.max(1, Integer.parseInt(target.option("concurrency", "8")));
        this.timeoutMillis = Math.max(1, Integer.parseInt(target.option("timeoutMillis", "10000")));
        this.tls = ManageSieveTls.socketFactory(host, target.options() == null ? Map.of() : target.options());
    }

    /** What is wrong with a server's options (registration check), by option name; empty when nothing is. */
    public static Map<String, String> checkOptions(String endpoint, Map<String, String> options) {
        Map<String, String> problems = new TreeMap<>(ManageSieveTls.check(URI.create("sieve://" + endpoint.trim()).getHost(), options));
        checkNumber(options, "concurrency", 1, 64, problems);
        checkNumber(options, "timeoutMillis", 100, 600_000, problems);
        return problems;
    }

    private static void checkNumber(Map<String, String> options, String name, int min, int max, Map<String, String> problems) {
        String v = options.get(name);
        if (v == null) {
            return;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                problems.put(name, "must be between " + min + " and " + max);
            }
        } catch (NumberFormatException e) {
            problems.put(name, "must be a whole number between " + min + " and " + max);
        }
    }

    // ------------------------------------------------------------------ read

    @Override
    public Map<ArtifactKey, String> read(ReadScope scope) throws ConnectorException {
        Map<ArtifactKey, String> result = new TreeMap<>();
        forEachMailbox(mailboxesOf(scope), false, mailbox -> {
            Map<ArtifactKey, String> found = session(mailbox, (c, m) -> artifacts(m, MailboxState.read(c, inspector)));
            synchronized (result) {
                result.putAll(found);
            }
        });
        return result;
    }

    /** Every mailbox of an "everything" scope, or the mailboxes of its VACATION / USER_SIEVE keys. */
    private static Collection<String> mailboxesOf(ReadScope scope) {
        if (scope.isEverything()) {
            return scope.mailboxes() == null ? Set.of() : scope.mailboxes();
        }
        // USER_SIEVE is read with the mailbox's VACATION: one session tells both
        Set<String> m = new TreeSet<>();
        for (ArtifactKey k : scope.keys()) {
            if (k.type() == ArtifactType.VACATION || k.type() == ArtifactType.USER_SIEVE) {
                m.add(k.key());
            }
        }
        return m;
    }

    /** The user's own script that runs for the mailbox, and what it does. */
    record UserScript(String name, String text, List<String> responders, List<String> includes, String problem) {

        /** Safe to run after mailgov's vacation: understood, and no responder of its own. */
        boolean plainFilter() {
            return problem == null && responders.isEmpty();
        }

        String content() {
            StringBuilder s = new StringBuilder("script: ").append(name).append('\n');
            s.append("responders: ").append(problem != null ? "unknown (" + problem + ")"
                    : responders.isEmpty() ? "none" : String.join(", ", responders)).append('\n');
            if (!includes.isEmpty()) {
                s.append("includes: ").append(String.join(", ", includes)).append('\n');
            }
            return s.append('\n').append(text == null ? "" : text).toString();
        }
    }

    /** The scripts of one mailbox as far as mailgov cares, read in one pass of LISTSCRIPTS and GETSCRIPTs. */
    private record MailboxState(List<ManageSieveClient.Script> scripts, String active, byte[] vacation, byte[] wrapper,
                                UserScript user) {

        static MailboxState read(ManageSieveClient c, SieveInspector inspector) throws IOException {
            List<ManageSieveClient.Script> scripts = c.listScripts();
            String active = activeScript(scripts);
            byte[] vacation = exists(scripts, VACATION_SCRIPT) ? c.getScript(VACATION_SCRIPT) : null;
            byte[] wrapper = WRAPPER_SCRIPT.equals(active) ? c.getScript(WRAPPER_SCRIPT) : null;
            String userName = WRAPPER_SCRIPT.equals(active)
                    ? (wrapper == null ? null : userScriptOf(new String(wrapper, StandardCharsets.UTF_8)))
                    : ours(active) ? null : active;
            UserScript user = null;
            if (userName != null && exists(scripts, userName)) {
                user = inspect(c, inspector, scripts, userName);
            }
            return new MailboxState(scripts, active, vacation, wrapper, user);
        }

        /** The user's script and, recursively, its :personal includes (each read once). */
        private static UserScript inspect(ManageSieveClient c, SieveInspector inspector, List<ManageSieveClient.Script> scripts,
                                          String name) throws IOException {
            byte[] own = c.getScript(name);
            String text = own == null ? null : new String(own, StandardCharsets.UTF_8);
            TreeSet<String> responders = new TreeSet<>();
            List<String> includes = new ArrayList<>();
            String problem = null;
            java.util.ArrayDeque<String> pending = new java.util.ArrayDeque<>();
            Set<String> seen = new TreeSet<>();
            pending.add(name);
            seen.add(name);
            while (!pending.isEmpty() && problem == null) {
                String script = pending.poll();
                String body = script.equals(name) ? text : textOf(c, script);
                if (body == null) {
                    problem = "script \"" + script + "\" cannot be read";
                    break;
                }
                SieveInspector.Inspection i = inspector.inspect(body);
                if (i.problem() != null) {
                    problem = "script \"" + script + "\" does not parse: " + i.problem();
                    break;
                }
                responders.addAll(i.responders());
                if (!i.globalIncludes().isEmpty()) {
                    problem = "script \"" + script + "\" includes global scripts mailgov cannot read: " + i.globalIncludes();
                }
                for (String inc : i.personalIncludes()) {
                    if (WRAPPER_SCRIPT.equals(inc) || VACATION_SCRIPT.equals(inc)) {
                        continue;
                    }
                    includes.add(inc);
                    if (seen.size() > 20) {
                        problem = "more than 20 included scripts";
                    } else if (exists(scripts, inc) && seen.add(inc)) {
                        pending.add(inc);
                    }
                }
            }
            return new UserScript(name, text, List.copyOf(responders), includes, problem);
        }

        private static String textOf(ManageSieveClient c, String script) throws IOException {
            byte[] b = c.getScript(script);
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }

    private static boolean ours(String script) {
        return WRAPPER_SCRIPT.equals(script) || VACATION_SCRIPT.equals(script);
    }

    /** VACATION when our script (or wrapper) is active; USER_SIEVE for the user's own script that runs. */
    private static Map<ArtifactKey, String> artifacts(String mailbox, MailboxState state) {
        Map<ArtifactKey, String> out = new TreeMap<>();
        if (ours(state.active()) && state.vacation() != null) {
            out.put(ArtifactKey.vacation(mailbox), new String(state.vacation(), StandardCharsets.UTF_8));
        }
        if (state.user() != null) {
            out.put(new ArtifactKey(ArtifactType.USER_SIEVE, mailbox), state.user().content());
        }
        return out;
    }

    // ------------------------------------------------------------------ apply

    @Override
    public void apply(Map<ArtifactKey, String> changes) throws ConnectorException {
        Map<String, String> byMailbox = new TreeMap<>();
        for (Map.Entry<ArtifactKey, String> e : changes.entrySet()) {
            requireVacation(e.getKey());
            byMailbox.put(e.getKey().key(), e.getValue());
        }
        forEachMailbox(byMailbox.keySet(), true, mailbox -> session(mailbox, (c, m) -> {
            change(c, m, MailboxState.read(c, inspector), byMailbox.get(m));
            return null;
        }));
    }

    /** One session per mailbox for reading and fixing it: a reconcile logs in once per mailbox, not twice. */
    @Override
    public Map<ArtifactKey, String> readAndApply(ReadScope scope, FixPlan plan) throws ConnectorException {
        Map<ArtifactKey, String> result = new TreeMap<>();
        forEachMailbox(mailboxesOf(scope), true, mailbox -> session(mailbox, (c, m) -> {
            MailboxState state = MailboxState.read(c, inspector);
            Map<ArtifactKey, String> found = artifacts(m, state);
            synchronized (result) {
                result.putAll(found);
            }
            ArtifactKey vacation = ArtifactKey.vacation(m);
            Map<ArtifactKey, String> fixes = plan.fixes(
                    ReadScope.of(Set.of(vacation, new ArtifactKey(ArtifactType.USER_SIEVE, m))), found);
            for (ArtifactKey k : fixes.keySet()) {
                requireVacation(k);
                if (!k.equals(vacation)) {
                    throw new ConnectorException("a fix for " + m + " names another mailbox: " + k, false);
                }
            }
            if (fixes.containsKey(vacation)) {
                change(c, m, state, fixes.get(vacation));
            }
            return null;
        }));
        return result;
    }

    private static void requireVacation(ArtifactKey key) throws ConnectorException {
        if (key.type() != ArtifactType.VACATION) {
            throw new ConnectorException("ManageSieve cannot apply " + key.type() + " (" + key + ")", false);
        }
    }

    private void change(ManageSieveClient c, String mailbox, MailboxState state, String content)
            throws IOException, ConnectorException {
        if (content == null) {
            remove(c, state);
        } else {
            put(c, mailbox, state, content);
        }
    }

    private void put(ManageSieveClient c, String mailbox, MailboxState state, String content) throws IOException, ConnectorException {
        UserScript user = state.user();
        if (user != null && !user.plainFilter()) {
            // never wrap a responder (or what cannot be told apart from one): undo an earlier wrapper, then hold
            if (WRAPPER_SCRIPT.equals(state.active()) || VACATION_SCRIPT.equals(state.active())) {
                remove(c, state);
            }
            throw new ConnectorException(target.name() + " (" + mailbox + "): mailgov's autoreply is held: the mailbox's own active"
                    + " Sieve script \"" + user.name() + "\" " + (user.problem() != null ? "cannot be checked (" + user.problem() + ")"
                    : "has its own responder (" + String.join(", ", user.responders()) + ")")
                    + "; two responders are not run side by side and a user's script is never run under mailgov's name."
                    + " Remove that script, or import it and approve its removal, then retry", false);
        }
        byte[] vacation = content.getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(vacation, state.vacation())) {
            check(c, mailbox, VACATION_SCRIPT, vacation);
            c.expectOk("PUTSCRIPT " + VACATION_SCRIPT, c.putScript(VACATION_SCRIPT, vacation));
        }
        String userScript = user == null ? null : user.name();
        if (userScript == null) {
            // nothing of the user's to keep running: the vacation itself is active (one script less to compile and store)
            if (!VACATION_SCRIPT.equals(state.active())) {
                c.expectOk("SETACTIVE " + VACATION_SCRIPT, c.setActive(VACATION_SCRIPT));
            }
            deleteIfThere(c, state, WRAPPER_SCRIPT);
            return;
        }
        byte[] wrapper = wrapper(userScript).getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(wrapper, state.wrapper())) {
            // most mailboxes share one wrapper text: the server checks each distinct text once per job
            String text = new String(wrapper, StandardCharsets.UTF_8);
            if (!checkedWrappers.contains(text)) {
                check(c, mailbox, WRAPPER_SCRIPT, wrapper);
                checkedWrappers.add(text);
            }
            c.expectOk("PUTSCRIPT " + WRAPPER_SCRIPT, c.putScript(WRAPPER_SCRIPT, wrapper));
        }
        if (!WRAPPER_SCRIPT.equals(state.active())) {
            c.expectOk("SETACTIVE " + WRAPPER_SCRIPT, c.setActive(WRAPPER_SCRIPT));
        }
    }

    private void remove(ManageSieveClient c, MailboxState state) throws IOException {
        String active = state.active();
        if (ours(active)) {
            String userScript = WRAPPER_SCRIPT.equals(active) && state.wrapper() != null
                    ? userScriptOf(new String(state.wrapper(), StandardCharsets.UTF_8)) : null;
            // the user may have deleted their script since: then nothing becomes active
            if (userScript == null || !exists(state.scripts(), userScript) || !c.setActive(userScript).ok()) {
                c.expectOk("SETACTIVE \"\"", c.setActive(""));
            }
        }
        deleteIfThere(c, state, WRAPPER_SCRIPT);
        deleteIfThere(c, state, VACATION_SCRIPT);
    }

    private static void deleteIfThere(ManageSieveClient c, MailboxState state, String name) throws IOException {
        if (exists(state.scripts(), name)) {
            ManageSieveClient.Response r = c.deleteScript(name);
            if (!r.ok() && !r.hasCode("NONEXISTENT")) {
                throw new ManageSieveClient.ServerNo("DELETESCRIPT " + name, r);
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

    // ------------------------------------------------------------------ emergency stop (loop guard)

    /** A script the loop guard's emergency stop deactivated, with its text so it can be restored. */
    public record SuspendedScript(String mailbox, String name, String text) {
    }

    /**
     * Deactivates the mailbox's active script (SETACTIVE ""), whoever wrote it; the script itself
     * stays on the server. Empty when no script is active.
     */
    public java.util.Optional<SuspendedScript> suspendActiveScript(String mailbox) throws ConnectorException {
        return session(mailbox, (c, m) -> {
            String active = activeScript(c.listScripts());
            if (active == null) {
                return java.util.Optional.<SuspendedScript>empty();
            }
            byte[] text = c.getScript(active);
            c.expectOk("SETACTIVE \"\" for " + m, c.setActive(""));
            return java.util.Optional.of(new SuspendedScript(m, active,
                    text == null ? "" : new String(text, java.nio.charset.StandardCharsets.UTF_8)));
        });
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
            c = ManageSieveClient.connect(host, port, timeoutMillis, tls);
        } catch (IOException e) {
            throw ioFailure("connecting to", mailbox, e);
        }
        try {
            ManageSieveClient.Response auth = c.authenticatePlain(mailbox, target.username(), target.secret());
            if (!auth.ok()) {
                // TRYLATER: the auth backend is down, not the credentials wrong
                boolean retry = auth.hasCode("TRYLATER") || "BYE".equals(auth.status());
                throw new LoginRefused(target.name() + ": login as " + target.username() + " for " + mailbox
                        + " refused: " + auth.text() + (loggedIn.get()
                        ? " (the same credentials work for other mailboxes: does Dovecot know this one?)" : ""), retry);
            }
            loggedIn.set(true);
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
        } else if (e instanceof ManageSieveClient.TlsRefused || e instanceof SSLHandshakeException) {
            // an untrusted certificate or a name that does not match stays so until someone changes it
            return new ConnectorException(target.name() + ": TLS with " + host + ":" + port + " failed: " + e.getMessage()
                    + " (is the server's CA in tlsTrust, and does its certificate name " + host + "?)", false, e);
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
     * a login refused while none has worked yet) stops the remaining mailboxes at once — 10,000
     * timeouts would take hours; a script rejected for one mailbox, or a mailbox Dovecot does not
     * know, does not stop the others when {@code keepGoing}.
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
                        // wrong credentials refuse every mailbox; an unknown mailbox refuses only itself
                        if (!keepGoing || e.retryable() || (e instanceof LoginRefused && !loggedIn.get())) {
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
