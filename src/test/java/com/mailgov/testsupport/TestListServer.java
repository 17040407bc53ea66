package com.mailgov.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small mailing-list server outside the company, on 127.0.0.1: receives posts by SMTP (Postfix
 * delivers its domains here) and redistributes each one to the members through the test
 * Postfix, like a naive list: a fresh message with List-Id, List-Post and (if asked)
 * {@code Reply-To: <list>}, the envelope sender VERP-encoded per member
 * ({@code name-bounces+user=domain@host}) or one {@code name-bounces@host} for all. Nothing it
 * sends carries Auto-Submitted. Every list stops redistributing after its cap (a bounded loop).
 *
 * <p>An <em>exploder</em> ({@link #addExploder}) is the naive kind a standard vacation responder
 * cannot tell from personal mail: no List-* headers, each member addressed in To, From the list,
 * and a return path tagged per message ({@code name+N@host}, which it also accepts as a post) —
 * so a once-per-sender vacation answers every copy.
 */
public final class TestListServer implements AutoCloseable {

    /** A message that reached a list. */
    public record Post(String list, String envelopeFrom, String from, String messageId, String autoSubmitted, Instant at) {
    }

    /** A copy the list sent to one member. */
    public record Sent(String list, String member, String messageId, Instant at) {
    }

    public static final class MailList {
        final String address;
        final List<String> members;
        final boolean replyToList;
        final boolean verp;
        final boolean exploder;
        volatile int cap;
        volatile long delayMillis;
        final AtomicInteger distributed = new AtomicInteger();

        MailList(String address, List<String> members, boolean replyToList, boolean verp, boolean exploder, int cap) {
            this.address = address;
            this.members = List.copyOf(members);
            this.replyToList = replyToList;
            this.verp = verp;
            this.exploder = exploder;
            this.cap = cap;
        }

        /** Waits (at most {@code max}) until the list has sent nothing for {@code quiet}. */
        public void awaitQuiet(java.time.Duration quiet, java.time.Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            int last = distributed();
            long since = System.nanoTime();
            while (System.nanoTime() < end) {
                Thread.sleep(200);
                int now = distributed();
                if (now != last) {
                    last = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since >= quiet.toNanos()) {
                    return;
                }
            }
            throw new AssertionError(address + " never went quiet: " + last + " posts");
        }

        /** Waits this long before redistributing a post (a slower loop). */
        public void delay(long millis) {
            this.delayMillis = millis;
        }

        public String address() {
            return address;
        }

        public int distributed() {
            return distributed.get();
        }

        public void cap(int cap) {
            this.cap = cap;
        }
    }

    private final ServerSocket server;
    private final int postfixPort;
    private final Map<String, MailList> lists = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Post> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final ExecutorService connections = Executors.newFixedThreadPool(4);
    private final ExecutorService outbound = Executors.newFixedThreadPool(3);
    private volatile boolean closed;

    public TestListServer(int postfixPort) throws IOException {
        this.postfixPort = postfixPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "test-list-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port to name before the stack starts (MAILSTACK_EXTERNAL); the Postfix port comes later. */
    public static TestListServer unbound() throws IOException {
        return new TestListServer(-1);
    }

    private volatile int smtpPort = -1;

    public void postfixPort(int port) {
        this.smtpPort = port;
    }

    public int port() {
        return server.getLocalPort();
    }

    public MailList addList(String address, List<String> members, boolean replyToList, boolean verp, int cap) {
        MailList l = new MailList(address.toLowerCase(Locale.ROOT), members, replyToList, verp, false, cap);
        lists.put(l.address, l);
        return l;
    }

    /** A naive exploder (see the class comment). */
    public MailList addExploder(String address, List<String> members, int cap) {
        MailList l = new MailList(address.toLowerCase(Locale.ROOT), members, false, false, true, cap);
        lists.put(l.address, l);
        return l;
    }

    private final AtomicInteger sequence = new AtomicInteger();

    public List<Post> received() {
        return List.copyOf(received);
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Injects a post as if it came from outside (the list's first message). */
    public void post(String list, String from, String subject, String body) {
        MailList l = lists.get(list);
        String mid = "<" + UUID.randomUUID() + "@" + from.substring(from.indexOf('@') + 1) + ">";
        received.add(new Post(list, from, from, mid, null, Instant.now()));
        distribute(l, from, subject, body);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.submit(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    errors.add("accept: " + e);
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            reply(out, "220 lists.partner.example test list server");
            String envFrom = null;
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    reply(out, "250-lists.partner.example\r\n250 8BITMIME");
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 lists.partner.example");
                } else if (upper.startsWith("MAIL FROM:")) {
                    envFrom = between(line);
                    rcpts.clear();
                    reply(out, "250 ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String r = untagged(between(line).toLowerCase(Locale.ROOT));
                    if (lists.containsKey(r)) {
                        rcpts.add(r);
                        reply(out, "250 ok");
                    } else {
                        reply(out, "550 no such list");
                    }
                } else if (upper.equals("DATA")) {
                    reply(out, "354 go ahead");
                    StringBuilder msg = new StringBuilder();
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        msg.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
                    }
                    reply(out, "250 queued");
                    for (String r : rcpts) {
                        accept(r, envFrom, msg.toString());
                    }
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    reply(out, "250 ok");
                } else {
                    reply(out, "502 5.5.2 command not recognised"); // RFC 5321 answer to a command this list server does not speak
                }
            }
        } catch (IOException e) {
            if (!closed) {
                errors.add("serve: " + e);
            }
        }
    }

    private void accept(String list, String envFrom, String message) {
        int split = message.indexOf("\n\n");
        String head = split < 0 ? message : message.substring(0, split);
        String body = split < 0 ? "" : message.substring(split + 2);
        String from = header(head, "From");
        String subject = header(head, "Subject");
        received.add(new Post(list, envFrom, from, header(head, "Message-ID"), header(head, "Auto-Submitted"), Instant.now()));
        distribute(lists.get(list), from == null ? envFrom : from, subject == null ? "" : subject, body);
    }

    private void distribute(MailList l, String from, String subject, String body) {
        if (l.distributed.get() >= l.cap) {
            return;
        }
        l.distributed.incrementAndGet();
        outbound.submit(() -> {
            if (l.delayMillis > 0) {
                try {
                    Thread.sleep(l.delayMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
            String name = l.address.substring(0, l.address.indexOf('@'));
            String host = l.address.substring(l.address.indexOf('@') + 1);
            String tag = "[" + name + "] ";
            String subj = subject.startsWith(tag) ? subject : tag + subject;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", smtpPort > 0 ? smtpPort : postfixPort), 10_000);
                s.setSoTimeout(30_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                expect(in, "220");
                command(out, in, "EHLO lists.partner.example", "250");
                List<List<String>> batches = l.verp || l.exploder ? l.members.stream().map(List::of).toList() : List.of(l.members);
                for (List<String> batch : batches) {
                    String member = batch.get(0);
                    String envelope = l.exploder ? name + "+" + sequence.incrementAndGet() + "@" + host
                            : l.verp ? name + "-bounces+" + member.replace('@', '=') + "@" + host
                            : name + "-bounces@" + host;
                    String mid = "<" + UUID.randomUUID() + "@" + host + ">";
                    command(out, in, "MAIL FROM:<" + envelope + "> BODY=8BITMIME", "250");
                    for (String m : batch) {
                        command(out, in, "RCPT TO:<" + m + ">", "250");
                    }
                    command(out, in, "DATA", "354");
                    StringBuilder data = new StringBuilder();
                    data.append("From: ").append(l.exploder ? l.address : from).append("\r\n")
                            .append("To: ").append(l.exploder ? member : l.address).append("\r\n")
                            .append("Subject: ").append(subj).append("\r\n")
                            .append("Message-ID: ").append(mid).append("\r\n");
                    if (!l.exploder) {
                        data.append("List-Id: <").append(name).append('.').append(host).append(">\r\n")
                                .append("List-Post: <mailto:").append(l.address).append(">\r\n");
                    }
                    if (l.replyToList) {
                        data.append("Reply-To: ").append(l.address).append("\r\n");
                    }
                    data.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
                    for (String line : body.split("\n", -1)) {
                        data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
                    }
                    data.append(".\r\n");
                    out.write(data.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    expect(in, "250");
                    Instant now = Instant.now();
                    for (String m : batch) {
                        sent.add(new Sent(l.address, m, mid, now));
                    }
                }
                command(out, in, "QUIT", "221");
            } catch (IOException e) {
                errors.add("distribute " + l.address + ": " + e.getMessage());
            }
        });
    }

    private static String header(String head, String name) {
        String unfolded = head.replaceAll("\n[ \t]+", " ");
        for (String line : unfolded.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** {@code name+tag@host} → {@code name@host}: an exploder takes mail to its tagged return paths as posts. */
    private static String untagged(String address) {
        int plus = address.indexOf('+');
        int at = address.indexOf('@');
        return plus > 0 && at > plus ? address.substring(0, plus) + address.substring(at) : address;
    }

    private static String between(String line) {
        int a = line.indexOf('<');
        int b = line.indexOf('>', a + 1);
        return a >= 0 && b > a ? line.substring(a + 1, b) : line.substring(line.indexOf(':') + 1).strip();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void command(OutputStream out, BufferedReader in, String cmd, String code) throws IOException {
        out.write((cmd + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed waiting for " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + line);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        server.close();
        connections.shutdownNow();
        outbound.shutdown();
        outbound.awaitTermination(10, TimeUnit.SECONDS);
        outbound.shutdownNow();
    }
}
