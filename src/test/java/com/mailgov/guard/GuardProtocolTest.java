package com.mailgov.guard;

import com.mailgov.guard.detect.LoopGuard;
import com.mailgov.guard.protocol.GuardServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard's listener speaks Postfix's policy delegation and milter protocols on one port and
 * survives hostile peers: broken frames, oversized lines, control characters, floods of distinct
 * senders. It answers or drops the connection, and keeps answering the next one.
 */
@QuarkusTest
class GuardProtocolTest {

    @Inject
    GuardServer server;

    @Inject
    LoopGuard guard;

    private int port;

    @BeforeEach
    void start() {
        port = server.start();
    }

    @Test
    void policyRequestIsAnsweredDunno() throws IOException {
        try (Socket s = connect()) {
            write(s, policy("alice@partner.example", "takahashi@corp.example"));
            assertEquals("action=DUNNO\n\n", readAnswer(s));
            // the same connection serves the next request
            write(s, policy("bob@partner.example", "suzuki@corp.example"));
            assertEquals("action=DUNNO\n\n", readAnswer(s));
        }
    }

    @Test
    void brokenPolicyFramesDropOnlyThatConnection() throws IOException {
        assertDropped("request=smtpd_access_policy\nthis line has no equals sign\n\n".getBytes(StandardCharsets.UTF_8));
        assertDropped(("request=smtpd_access_policy\nsender=" + "a".repeat(5000) + "@x.example\n\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder many = new StringBuilder("request=smtpd_access_policy\n");
        for (int i = 0; i < 200; i++) {
            many.append("x").append(i).append("=1\n");
        }
        assertDropped((many + "\n").getBytes(StandardCharsets.UTF_8));
        assertDropped("\n".getBytes(StandardCharsets.UTF_8));
        // still serving
        try (Socket s = connect()) {
            write(s, policy("carol@partner.example", "sato@corp.example"));
            assertEquals("action=DUNNO\n\n", readAnswer(s));
        }
    }

    @Test
    void controlCharactersInAddressesAreAnsweredNotCounted() throws IOException {
        try (Socket s = connect()) {
            write(s, policy("evil\r@partner.example", "takahashi@corp.example"));
            assertEquals("action=DUNNO\n\n", readAnswer(s));
            write(s, policy("evil\u0000x@partner.example", "takahashi\u0000@corp.example"));
            assertEquals("action=DUNNO\n\n", readAnswer(s));
        }
        assertTrue(guard.drainCounts().keySet().stream()
                .noneMatch(e -> (e.src() + e.dst()).chars().anyMatch(c -> c < 0x20)), "no edge with control characters");
    }

    @Test
    void milterConversationAndHostileMilterFrames() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(frame('O', ByteBuffer.allocate(12).putInt(6).putInt(0x1ff).putInt(0x1fffff).array()));
            assertEquals('O', readFrame(in)[0]);
            out.write(frame('D', bytes("Mi\0ABC123DEF\0")));
            out.write(frame('C', bytes("client.test\0" + "4\0\0" + "127.0.0.1\0")));
            assertEquals('c', readFrame(in)[0]);
            out.write(frame('M', bytes("<alice@partner.example>\0")));
            assertEquals('c', readFrame(in)[0]);
            out.write(frame('R', bytes("<takahashi@corp.example>\0")));
            assertEquals('c', readFrame(in)[0]);
            out.write(frame('L', bytes("List-Id\0<ml.partner.example>\0")));
            assertEquals('c', readFrame(in)[0]);
            out.write(frame('N', new byte[0]));
            assertEquals('c', readFrame(in)[0]);
            out.write(frame('E', new byte[0]));
            assertEquals('c', readFrame(in)[0]);
            out.write(frame('Q', new byte[0]));
            assertEquals(-1, in.read(), "closed after QUIT");
        }
        byte[] tooBig = ByteBuffer.allocate(5).putInt(1_000_000).put((byte) 'L').array();
        assertDropped(tooBig);
        assertDropped(ByteBuffer.allocate(4).putInt(0).array());
        assertDropped(frame('Z', bytes("what")));
    }

    @Test
    void tenThousandDistinctSendersAreAnsweredWithBoundedState() throws Exception {
        guard.drainCounts();
        long start = System.nanoTime();
        int answered = 0;
        try (Socket s = connect()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                batch.append(new String(policy("flood" + i + "@spam" + i + ".example", "takahashi@corp.example"), StandardCharsets.UTF_8));
            }
            // the peer writes everything before reading: the server must neither block nor buffer without bound
            Thread writer = new Thread(() -> {
                try {
                    write(s, batch.toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the reader reports what arrived
                }
            });
            writer.start();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            String carry = "";
            while (answered < 10_000) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                String text = carry + new String(buf, 0, n, StandardCharsets.US_ASCII);
                int idx;
                while ((idx = text.indexOf("\n\n")) >= 0) {
                    answered++;
                    text = text.substring(idx + 2);
                }
                carry = text;
            }
            writer.join(10_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(10_000, answered);
        assertTrue(seconds < 10, "10k requests took " + seconds + " s");
        int tracked = guard.drainCounts().size();
        assertTrue(tracked <= 10_000 && tracked > 0, "tracked " + tracked);
    }

    // ------------------------------------------------------------------ helpers

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private void assertDropped(byte[] data) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    got.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection not dropped; got " + got);
            } catch (java.net.SocketException reset) {
                return;
            }
            assertEquals(0, got.size(), "no answer to a broken frame");
        }
    }

    static byte[] policy(String sender, String recipient) {
        return ("request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\nclient_address=127.0.0.1\n"
                + "instance=1.2.3\nsender=" + sender + "\nrecipient=" + recipient + "\nqueue_id=\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Socket s, byte[] data) throws IOException {
        s.getOutputStream().write(data);
        s.getOutputStream().flush();
    }

    private static String readAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\n\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    static byte[] frame(char cmd, byte[] data) {
        return ByteBuffer.allocate(5 + data.length).putInt(data.length + 1).put((byte) cmd).put(data).array();
    }

    static byte[] readFrame(DataInputStream in) throws IOException {
        int len = in.readInt();
        byte[] f = new byte[len];
        in.readFully(f);
        return f;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
