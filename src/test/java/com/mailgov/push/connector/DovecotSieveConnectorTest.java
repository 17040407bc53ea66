package com.mailgov.push.connector;

import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.push.SieveVacationScript;
import com.mailgov.testsupport.MailStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DovecotSieveConnector} against a real Dovecot/Pigeonhole (private stack, no Mailman). */
class DovecotSieveConnectorTest implements MailServerConnectorContract {

    static MailStack stack;
    /** Mailboxes made up front: Dovecot sees passwd-file changes only once a second. */
    private static final Deque<String> FRESH = new ConcurrentLinkedDeque<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = MailStack.start(false);
        for (int i = 0; i < 30; i++) {
            FRESH.add("u" + i + "-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example");
        }
        stack.addUsers(List.copyOf(FRESH), false);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.stop();
        }
    }

    static MailServerTarget target(String password, int port, Map<String, String> options) {
        return new MailServerTarget("dovecot-test", ServerKind.DOVECOT_MANAGESIEVE, "127.0.0.1:" + port,
                stack.env("SIEVE_MASTER_USER"), password, options);
    }

    static MailServerTarget target() {
        return target(stack.env("SIEVE_MASTER_PASSWORD"), stack.port("MANAGESIEVE_PORT"), Map.of());
    }

    @Override
    public MailServerConnector connector() throws ConnectorException {
        return new DovecotSieveConnector(target());
    }

    @Override
    public ArtifactKey freshKey() throws Exception {
        return ArtifactKey.vacation(FRESH.remove());
    }

    @Override
    public String content(ArtifactKey key, int variant) {
        return "require [\"vacation\"];\r\nvacation :days 1 :subject \"Away " + variant + "\" \"I am away (" + variant + ").\";\r\n";
    }

    @Override
    public String unicodeContent(ArtifactKey key) {
        return SieveVacationScript.generate(new AutoreplySpec(key.key(), "不在のお知らせ（高橋）",
                "12月31日まで不在です。\n急ぎの件は営業一課までご連絡ください。", null, null, 1,
                AutoreplySpec.Audience.ALL, List.of()), List.of(), List.of("corp.example"), ZoneOffset.UTC);
    }

    private static ManageSieveClient login(String mailbox) throws Exception {
        ManageSieveClient c = ManageSieveClient.connect("127.0.0.1", stack.port("MANAGESIEVE_PORT"), 10_000, null);
        c.expectOk("login", c.authenticatePlain(mailbox, stack.env("SIEVE_MASTER_USER"), stack.env("SIEVE_MASTER_PASSWORD")));
        return c;
    }

    private static Map<String, Boolean> scripts(String mailbox) throws Exception {
        ManageSieveClient c = login(mailbox);
        try {
            Map<String, Boolean> m = new TreeMap<>();
            for (ManageSieveClient.Script s : c.listScripts()) {
                m.put(s.name(), s.active());
            }
            return m;
        } finally {
            c.logout();
        }
    }

    private static void apply(String mailbox, String content) throws ConnectorException {
        Map<ArtifactKey, String> change = new HashMap<>();
        change.put(ArtifactKey.vacation(mailbox), content);
        new DovecotSieveConnector(target()).apply(change);
    }

    @Test
    void usersOwnActiveScriptKeepsRunningAndIsActiveAgainAfterRemoval() throws Exception {
        String mailbox = freshKey().key();
        String own = "require [\"fileinto\"];\r\nif header :contains \"subject\" \"[spam]\" { fileinto \"Junk\"; }\r\n";
        ManageSieveClient c = login(mailbox);
        c.expectOk("put", c.putScript("my \"filters\"", own.getBytes(StandardCharsets.UTF_8)));
        c.expectOk("activate", c.setActive("my \"filters\""));
        c.logout();

        apply(mailbox, content(null, 1));
        assertEquals(Map.of("mailgov", true, "mailgov-vacation", false, "my \"filters\"", false), scripts(mailbox));
        c = login(mailbox);
        String wrapper = new String(c.getScript("mailgov"), StandardCharsets.UTF_8);
        c.logout();
        assertEquals("require [\"include\"];\ninclude :personal \"mailgov-vacation\";\n"
                + "include :personal :optional \"my \\\"filters\\\"\";\n", wrapper);

        apply(mailbox, content(null, 2)); // an update keeps the user's script in the wrapper
        assertEquals(Map.of("mailgov", true, "mailgov-vacation", false, "my \"filters\"", false), scripts(mailbox));

        apply(mailbox, null);
        assertEquals(Map.of("my \"filters\"", true), scripts(mailbox));
    }

    @Test
    void withoutUserScriptTheVacationItselfIsActiveAndRemovalLeavesNothing() throws Exception {
        String mailbox = freshKey().key();
        apply(mailbox, content(null, 1));
        assertEquals(Map.of("mailgov-vacation", true), scripts(mailbox));
        apply(mailbox, null);
        assertEquals(Map.of(), scripts(mailbox));
    }

    @Test
    void aWrapperWithoutUserScriptIsReplacedByTheVacationItself() throws Exception {
        String mailbox = freshKey().key();
        ManageSieveClient c = login(mailbox);
        c.expectOk("put", c.putScript("mailgov-vacation", content(null, 1).getBytes(StandardCharsets.UTF_8)));
        c.expectOk("put", c.putScript("mailgov", DovecotSieveConnector.wrapper(null).getBytes(StandardCharsets.UTF_8)));
        c.expectOk("activate", c.setActive("mailgov"));
        c.logout();
        DovecotSieveConnector connector = new DovecotSieveConnector(target());
        assertEquals(Map.of(ArtifactKey.vacation(mailbox), content(null, 1)), connector.read(ReadScope.everything(Set.of(mailbox))));
        apply(mailbox, content(null, 2));
        assertEquals(Map.of("mailgov-vacation", true), scripts(mailbox));
        assertEquals(Map.of(ArtifactKey.vacation(mailbox), content(null, 2)), connector.read(ReadScope.everything(Set.of(mailbox))));
    }

    private static void putActive(String mailbox, Map<String, String> scripts, String active) throws Exception {
        ManageSieveClient c = login(mailbox);
        for (Map.Entry<String, String> e : scripts.entrySet()) {
            c.expectOk("put " + e.getKey(), c.putScript(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        c.expectOk("activate", c.setActive(active));
        c.logout();
    }

    private static String scriptText(String mailbox, String name) throws Exception {
        ManageSieveClient c = login(mailbox);
        try {
            byte[] b = c.getScript(name);
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        } finally {
            c.logout();
        }
    }

    @Test
    void usersOwnVacationIsReportedWithItsTextAndMailgovsVacationIsHeldNotWrapped() throws Exception {
        String mailbox = freshKey().key();
        putActive(mailbox, Map.of("away", content(null, 7)), "away");
        ArtifactKey user = new ArtifactKey(ArtifactType.USER_SIEVE, mailbox);
        String reported = "script: away\nresponders: vacation\n\n" + content(null, 7);
        DovecotSieveConnector connector = new DovecotSieveConnector(target());
        assertEquals(Map.of(user, reported), connector.read(ReadScope.everything(Set.of(mailbox))));
        assertEquals(Map.of(user, reported), connector.read(ReadScope.of(Set.of(ArtifactKey.vacation(mailbox)))));
        // two vacations would make Pigeonhole refuse the whole script: mailgov's is held, with the reason
        ConnectorException held = assertThrows(ConnectorException.class, () -> apply(mailbox, content(null, 1)));
        assertFalse(held.retryable());
        assertTrue(held.getMessage().contains("held") && held.getMessage().contains("\"away\"")
                && held.getMessage().contains("vacation"), held.getMessage());
        assertEquals(Map.of("away", true), scripts(mailbox), "the user's script is untouched and still the active one");
        assertEquals(content(null, 7), scriptText(mailbox, "away"));
    }

    @Test
    void aNotifyResponderIsNeverRunUnderMailgovsNameAndAnOldWrapperAroundItIsUndone() throws Exception {
        String mailbox = freshKey().key();
        String notify = "require [\"enotify\"];\r\nnotify :message \"got mail\" \"mailto:boss@corp.example\";\r\n";
        // what an earlier mailgov left: its wrapper running the user's responder
        putActive(mailbox, Map.of("replier", notify, "mailgov-vacation", content(null, 1),
                "mailgov", DovecotSieveConnector.wrapper("replier")), "mailgov");
        DovecotSieveConnector connector = new DovecotSieveConnector(target());
        Map<ArtifactKey, String> read = connector.read(ReadScope.everything(Set.of(mailbox)));
        assertTrue(read.get(new ArtifactKey(ArtifactType.USER_SIEVE, mailbox)).startsWith("script: replier\nresponders: notify\n"),
                read.toString());
        ConnectorException held = assertThrows(ConnectorException.class, () -> apply(mailbox, content(null, 1)));
        assertTrue(held.getMessage().contains("notify"), held.getMessage());
        assertEquals(Map.of("replier", true), scripts(mailbox), "the user's script is active again, mailgov's wrapper is gone");
    }

    @Test
    void aPlainFilterIsWrappedEvenWhenItsCommentsSayVacationButAnIncludedResponderIsFound() throws Exception {
        String plain = freshKey().key();
        putActive(plain, Map.of("filters", "# my vacation rules: none yet\r\nrequire [\"fileinto\"];\r\n"
                + "if header :contains \"subject\" \"vacation\" { fileinto \"Trips\"; }\r\n"), "filters");
        apply(plain, content(null, 1));
        assertEquals(Map.of("mailgov", true, "mailgov-vacation", false, "filters", false), scripts(plain));

        String nested = freshKey().key();
        putActive(nested, Map.of("main", "require [\"include\"];\r\ninclude :personal \"more\";\r\n",
                "more", "require [\"include\"];\r\ninclude \"deep\";\r\n",
                "deep", "redirect \"outside@partner.example\";\r\n"), "main");
        Map<ArtifactKey, String> read = new DovecotSieveConnector(target()).read(ReadScope.everything(Set.of(nested)));
        assertTrue(read.get(new ArtifactKey(ArtifactType.USER_SIEVE, nested)).contains("responders: redirect\nincludes: more, deep\n"),
                read.toString());
        assertThrows(ConnectorException.class, () -> apply(nested, content(null, 1)));
        assertEquals(Map.of("main", true, "more", false, "deep", false), scripts(nested));
    }

    @Test
    void hostileContentRoundTrips() throws Exception {
        String mailbox = freshKey().key();
        String body = "He said \"hi\" \\o/\n.\n..\n.x\n${env.SECRET}\n\"; discard; #";
        String script = SieveVacationScript.generate(new AutoreplySpec(mailbox, "a \"quoted\" \\ subject", body,
                null, null, 3, AutoreplySpec.Audience.INTERNAL, List.of()), List.of(), List.of("corp.example"), ZoneOffset.UTC);
        assertTrue(script.contains("\r\n..\r\n"), "the lone-dot line is dot-stuffed");
        apply(mailbox, script);
        assertEquals(Map.of(ArtifactKey.vacation(mailbox), script),
                new DovecotSieveConnector(target()).read(ReadScope.of(Set.of(ArtifactKey.vacation(mailbox)))));
    }

    @Test
    void rejectedScriptIsNotRetryableAndCarriesTheServerMessage() throws Exception {
        String mailbox = freshKey().key();
        apply(mailbox, content(null, 1));
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> apply(mailbox, "require [\"vacation\"];\r\nvacation :dayz 1 \"x\";\r\n"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("rejected by the server") && e.getMessage().contains("dayz"), e.getMessage());
        // the working script was not replaced
        assertEquals(Map.of(ArtifactKey.vacation(mailbox), content(null, 1)),
                new DovecotSieveConnector(target()).read(ReadScope.of(Set.of(ArtifactKey.vacation(mailbox)))));
    }

    @Test
    void wrongMasterPasswordIsNotRetryableAndNeverShown() throws Exception {
        String mailbox = freshKey().key();
        String wrong = "wrong-" + UUID.randomUUID();
        DovecotSieveConnector c = new DovecotSieveConnector(target(wrong, stack.port("MANAGESIEVE_PORT"), Map.of()));
        ConnectorException e = assertThrows(ConnectorException.class, () -> c.read(ReadScope.everything(Set.of(mailbox))));
        assertFalse(e.retryable());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }

    @Test
    void aMailboxDovecotDoesNotKnowFailsAloneAndIsNamed() throws Exception {
        List<String> known = List.of(freshKey().key(), freshKey().key(), freshKey().key());
        String unknown = "zz-nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        Map<ArtifactKey, String> changes = new TreeMap<>();
        for (String m : known) {
            changes.put(ArtifactKey.vacation(m), content(null, 3));
        }
        changes.put(ArtifactKey.vacation(unknown), content(null, 3));
        // one at a time, in order: the known mailboxes log in first, so the refusal is the unknown mailbox's alone
        DovecotSieveConnector c = new DovecotSieveConnector(target(stack.env("SIEVE_MASTER_PASSWORD"),
                stack.port("MANAGESIEVE_PORT"), Map.of("concurrency", "1")));
        ConnectorException e = assertThrows(ConnectorException.class, () -> c.apply(changes));
        assertFalse(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains(unknown) && e.getMessage().contains("other mailboxes"), e.getMessage());
        Map<ArtifactKey, String> applied = new TreeMap<>(changes);
        applied.remove(ArtifactKey.vacation(unknown));
        assertEquals(applied, new DovecotSieveConnector(target()).read(ReadScope.everything(Set.copyOf(known))),
                "the other mailboxes got their scripts");
    }

    private static MailServerTarget tlsTarget(String host, Map<String, String> options) {
        return new MailServerTarget("dovecot-tls", ServerKind.DOVECOT_MANAGESIEVE, host + ":" + stack.port("MANAGESIEVE_PORT"),
                stack.env("SIEVE_MASTER_USER"), stack.env("SIEVE_MASTER_PASSWORD"), options);
    }

    @Test
    void startTlsWithTheServersCertificateTrustedCarriesTheMasterLogin() throws Exception {
        String mailbox = freshKey().key();
        DovecotSieveConnector c = new DovecotSieveConnector(tlsTarget("localhost",
                Map.of("tls", "require", "tlsTrust", stack.env("DOVECOT_TLS_CERT"))));
        Map<ArtifactKey, String> change = Map.of(ArtifactKey.vacation(mailbox), content(null, 4));
        c.apply(change);
        assertEquals(change, c.read(ReadScope.everything(Set.of(mailbox))));
        String log = java.nio.file.Files.readString(java.nio.file.Path.of(stack.env("LOG_DIR"), "dovecot.log"));
        assertTrue(log.lines().anyMatch(l -> l.contains("managesieve-login: Info: Login: user=<" + mailbox + ">") && l.contains(", TLS")),
                "Dovecot logged the login as TLS");
    }

    @Test
    void anUntrustedCertificateOrAMismatchedNameIsRefusedForGood() throws Exception {
        String mailbox = freshKey().key();
        // the JVM's trust store does not know the stack's self-signed certificate
        ConnectorException untrusted = assertThrows(ConnectorException.class, () -> new DovecotSieveConnector(
                tlsTarget("localhost", Map.of("tls", "require"))).read(ReadScope.everything(Set.of(mailbox))));
        assertFalse(untrusted.retryable(), untrusted.getMessage());
        assertTrue(untrusted.getMessage().contains("TLS"), untrusted.getMessage());
        // trusted, but issued to "localhost", not to 127.0.0.1
        ConnectorException mismatch = assertThrows(ConnectorException.class, () -> new DovecotSieveConnector(
                tlsTarget("127.0.0.1", Map.of("tls", "require", "tlsTrust", stack.env("DOVECOT_TLS_CERT"))))
                .read(ReadScope.everything(Set.of(mailbox))));
        assertFalse(mismatch.retryable(), mismatch.getMessage());
        assertFalse(mismatch.getMessage().contains(stack.env("SIEVE_MASTER_PASSWORD")));
    }

    @Test
    void tlsIsRequiredUnlessTheServerIsThisHost() {
        assertTrue(ManageSieveTls.required("mail.corp.example", Map.of()));
        assertTrue(ManageSieveTls.required("10.0.0.5", Map.of()));
        assertFalse(ManageSieveTls.required("127.0.0.1", Map.of()));
        assertFalse(ManageSieveTls.required("localhost", Map.of()));
        assertFalse(ManageSieveTls.required("mail.corp.example", Map.of("tls", "none")), "plain only when asked for");
        assertEquals(Set.of("tls", "timeoutMillis"), DovecotSieveConnector.checkOptions("mail.corp.example:4190",
                Map.of("tls", "maybe", "timeoutMillis", "-1")).keySet());
        assertEquals(Set.of("tlsTrust"), DovecotSieveConnector.checkOptions("mail.corp.example:4190",
                Map.of("tlsTrust", "/nonexistent/ca.pem")).keySet());
    }

    @Test
    void unreachableServerIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add("nobody" + i + "@corp.example");
        }
        DovecotSieveConnector c = new DovecotSieveConnector(target("x", closedPort, Map.of("timeoutMillis", "2000")));
        long t0 = System.nanoTime();
        ConnectorException e = assertThrows(ConnectorException.class, () -> c.read(ReadScope.everything(Set.copyOf(many))));
        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "stops early instead of trying every mailbox");
    }

    @Test
    void manyMailboxesInParallel() throws Exception {
        List<String> mailboxes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            mailboxes.add("p" + i + "-" + UUID.randomUUID().toString().substring(0, 6) + "@corp.example");
        }
        stack.addUsers(mailboxes, false);
        Map<ArtifactKey, String> changes = new TreeMap<>();
        for (String m : mailboxes) {
            changes.put(ArtifactKey.vacation(m), content(null, m.hashCode() & 7));
        }
        DovecotSieveConnector c = new DovecotSieveConnector(target(stack.env("SIEVE_MASTER_PASSWORD"),
                stack.port("MANAGESIEVE_PORT"), Map.of("concurrency", "6")));
        c.apply(changes);
        assertEquals(changes, c.read(ReadScope.everything(Set.copyOf(mailboxes))));
        Map<ArtifactKey, String> removals = new HashMap<>();
        changes.keySet().forEach(k -> removals.put(k, null));
        c.apply(removals);
        assertEquals(Map.of(), c.read(ReadScope.everything(Set.copyOf(mailboxes))));
    }

    @Test
    void messageToTakahashiGetsExactlyOneVacationReply() throws Exception {
        String me = "takahashi@corp.example";
        String sender = "suzuki@corp.example";
        String script = SieveVacationScript.generate(new AutoreplySpec(me, "不在のお知らせ（高橋）",
                "高橋は12月31日まで不在です。\n.\n以上", null, null, 1, AutoreplySpec.Audience.ALL, List.of()),
                List.of(), List.of("corp.example"), ZoneOffset.UTC);
        apply(me, script);
        try {
            int before = stack.messages(sender).size();
            String mid = "<" + UUID.randomUUID() + "@test.corp.example>";
            stack.send(sender, me, "From: " + sender + "\nTo: " + me + "\nSubject: hello\nMessage-ID: " + mid
                    + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nこんにちは\n.\nbye\n");
            List<String> inbox = stack.awaitMessages(me, 1, Duration.ofSeconds(20));
            assertTrue(inbox.stream().anyMatch(m -> m.contains(mid)), "delivered");
            List<String> got = stack.awaitMessages(sender, before + 1, Duration.ofSeconds(20));
            Thread.sleep(2000); // a second reply would arrive within this
            List<String> replies = stack.messages(sender).stream()
                    .filter(m -> m.contains("In-Reply-To: " + mid) && m.contains("Auto-Submitted: auto-replied")).toList();
            assertEquals(1, replies.size(), "exactly one reply; got " + got.size() + " messages");
            assertNotNull(replies.get(0));
        } finally {
            apply(me, null);
        }
    }
}
