package com.mailgov.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Speaks the milter protocol to a filter as Postfix does (version 6), one message at a time; for tests. */
public final class MilterClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    public MilterClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true); // frames are tiny: without this Nagle + delayed ACKs add ~40 ms per round trip
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        write('O', ByteBuffer.allocate(12).putInt(6).putInt(0x1ff).putInt(0x1fffff).array());
        expect('O');
        write('C', bytes("client.test\0" + "4\0\0" + "127.0.0.1\0"));
        expect('c');
    }

    /** Sends one message's envelope and headers; returns the filter's final answer: 'c' continue, 'q' quarantine (hold), 't' tempfail. */
    public char message(String queueId, String sender, String recipient, Map<String, String> headers) throws IOException {
        write('D', bytes("Mi\0" + queueId + "\0"));
        write('M', bytes("<" + sender + ">\0"));
        expect('c');
        write('R', bytes("<" + recipient + ">\0"));
        expect('c');
        for (Map.Entry<String, String> h : headers.entrySet()) {
            write('L', bytes(h.getKey() + "\0" + h.getValue() + "\0"));
            expect('c');
        }
        write('N', new byte[0]);
        expect('c');
        write('D', bytes("Ei\0" + queueId + "\0"));
        write('E', new byte[0]);
        byte[] answer = read();
        if (answer[0] == 'q') {
            byte[] last = read();
            if (last[0] != 'c') {
                throw new IOException("after quarantine expected continue, got " + (char) last[0]);
            }
        }
        return (char) answer[0];
    }

    private void write(char cmd, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(5 + data.length).putInt(data.length + 1).put((byte) cmd).put(data).array());
        out.flush();
    }

    private byte[] read() throws IOException {
        int len = in.readInt();
        byte[] f = new byte[len];
        in.readFully(f);
        return f;
    }

    private void expect(char c) throws IOException {
        byte[] f = read();
        if (f[0] != c) {
            throw new IOException("expected " + c + ", got " + (char) f[0]);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        write('Q', new byte[0]);
        socket.close();
    }
}
