package com.mailgov.push.connector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What an admin (or a user's mail client) does over ManageSieve by hand, for tests outside this package. */
public final class SieveByHand {

    private SieveByHand() {
    }

    /** The script's text, or null when the mailbox has no such script. */
    public static String get(String host, int port, String mailbox, String master, String password, String script) throws IOException {
        try (ManageSieveClient c = login(host, port, mailbox, master, password)) {
            byte[] text = c.getScript(script);
            return text == null ? null : new String(text, StandardCharsets.UTF_8);
        }
    }

    public static void put(String host, int port, String mailbox, String master, String password, String script, String text)
            throws IOException {
        try (ManageSieveClient c = login(host, port, mailbox, master, password)) {
            c.expectOk("PUTSCRIPT", c.putScript(script, text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** As the user themself (their own password, no master): upload a script and make it the active one. */
    public static void putActiveAsUser(String host, int port, String user, String password, String script, String text)
            throws IOException {
        try (ManageSieveClient c = ManageSieveClient.connect(host, port, 10_000, null)) {
            c.expectOk("AUTHENTICATE", c.authenticatePlain("", user, password));
            c.expectOk("PUTSCRIPT", c.putScript(script, text.getBytes(StandardCharsets.UTF_8)));
            c.expectOk("SETACTIVE", c.setActive(script));
        }
    }

    /** Puts a script and makes it the active one. */
    public static void putActive(String host, int port, String mailbox, String master, String password, String script, String text)
            throws IOException {
        try (ManageSieveClient c = login(host, port, mailbox, master, password)) {
            c.expectOk("PUTSCRIPT", c.putScript(script, text.getBytes(StandardCharsets.UTF_8)));
            c.expectOk("SETACTIVE", c.setActive(script));
        }
    }

    /** The name of the mailbox's active script, or null when none is active. */
    public static String active(String host, int port, String mailbox, String master, String password) throws IOException {
        try (ManageSieveClient c = login(host, port, mailbox, master, password)) {
            return c.listScripts().stream().filter(ManageSieveClient.Script::active).map(ManageSieveClient.Script::name)
                    .findFirst().orElse(null);
        }
    }

    /** Every script of the mailbox: name (with " (active)") → text, in name order. */
    public static java.util.SortedMap<String, String> all(String host, int port, String mailbox, String master, String password)
            throws IOException {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        try (ManageSieveClient c = login(host, port, mailbox, master, password)) {
            for (ManageSieveClient.Script s : c.listScripts()) {
                byte[] text = c.getScript(s.name());
                out.put(s.name() + (s.active() ? " (active)" : ""), text == null ? null : new String(text, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static ManageSieveClient login(String host, int port, String mailbox, String master, String password) throws IOException {
        ManageSieveClient c = ManageSieveClient.connect(host, port, 10_000, null);
        c.expectOk("AUTHENTICATE", c.authenticatePlain(mailbox, master, password));
        return c;
    }
}
