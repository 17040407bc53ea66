package com.mailgov.push.connector;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A minimal ManageSieve client (RFC 5804): one connection, one command at a time. Strings go out
 * as quoted strings when they are plain, otherwise as non-synchronising literals ({@code {n+}},
 * n = UTF-8 octets), so script text is sent byte for byte. The server's quoted strings and
 * literals are both understood, also inside OK/NO (Dovecot sends CHECKSCRIPT errors as literals).
 * Never logs; the password only ever leaves as the SASL token.
 */
final class ManageSieveClient implements Closeable {

    /** A tagged reply: status OK/NO/BYE, optional response code (e.g. NONEXISTENT), human text, and the data lines before it. */
    record Response(String status, String code, String text, List<List<Object>> data) {
        boolean ok() {
            return "OK".equals(status);
        }

        boolean hasCode(String c) {
            return code != null && code.toUpperCase(Locale.ROOT).startsWith(c);
        }
    }

    /** One entry of LISTSCRIPTS. */
    record Script(String name, boolean active) {
    }

    /** The server answered NO/BYE where OK was needed. */
    static final class ServerNo extends IOException {
        final Response response;

        ServerNo(String what, Response response) {
            super(what + ": " + response.status() + (response.code() == null ? "" : " (" + response.code() + ")")
                    + (response.text() == null || response.text().isEmpty() ? "" : " " + response.text()));
            this.response = response;
        }
    }

    private static final int MAX_LITERAL = 16 * 1024 * 1024;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private List<List<Object>> capabilities;

    private ManageSieveClient() {
    }

    /**
     * Connects and reads the greeting; with {@code tls} (not null) it upgrades with STARTTLS before
     * anything else is sent, and the certificate must be trusted and name {@code host}.
     */
    static ManageSieveClient connect(String host, int port, int timeoutMillis, SSLSocketFactory tls) throws IOException {
        ManageSieveClient c = new ManageSieveClient();
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true); // one small command per round trip; Nagle would add delay
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            c.attach(s);
            Response greeting = c.readResponse();
            if (!greeting.ok()) {
                throw new ServerNo("greeting", greeting);
            }
            c.capabilities = greeting.data();
            if (tls != null) {
                if (!c.hasCapability("STARTTLS")) {
                    throw new TlsRefused("the server does not offer STARTTLS");
                }
                c.expectOk("STARTTLS", c.command(atom("STARTTLS")));
                SSLSocket secured = (SSLSocket) tls.createSocket(s, host, port, true);
                SSLParameters params = secured.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host we asked for
                secured.setSSLParameters(params);
                secured.startHandshake();
                c.attach(secured);
                // RFC 5804 2.2: the server sends its capabilities again after the handshake
                Response caps = c.readResponse();
                c.expectOk("capabilities after STARTTLS", caps);
                c.capabilities = caps.data();
            }
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The server cannot give the TLS that was asked for: retrying will not change that. */
    static final class TlsRefused extends IOException {
        TlsRefused(String message) {
            super(message);
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(s.getOutputStream(), 8192);
    }

    boolean hasCapability(String name) {
        for (List<Object> line : capabilities) {
            if (!line.isEmpty() && name.equalsIgnoreCase(text(line.get(0)))) {
                return true;
            }
        }
        return false;
    }

    /** SASL PLAIN with an initial response; authzid is the mailbox, authcid the (master) user. */
    Response authenticatePlain(String authzid, String authcid, String password) throws IOException {
        byte[] token = (authzid + "\0" + authcid + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return command(atom("AUTHENTICATE"), "PLAIN", Base64.getEncoder().encodeToString(token));
    }

    Response checkScript(byte[] script) throws IOException {
        return command(atom("CHECKSCRIPT"), script);
    }

    Response putScript(String name, byte[] script) throws IOException {
        return command(atom("PUTSCRIPT"), name, script);
    }

    Response setActive(String name) throws IOException {
        return command(atom("SETACTIVE"), name);
    }

    Response deleteScript(String name) throws IOException {
        return command(atom("DELETESCRIPT"), name);
    }

    List<Script> listScripts() throws IOException {
        Response r = expectOk("LISTSCRIPTS", command(atom("LISTSCRIPTS")));
        List<Script> scripts = new ArrayList<>();
        for (List<Object> line : r.data()) {
            if (line.isEmpty()) {
                continue;
            }
            boolean active = line.size() > 1 && "ACTIVE".equalsIgnoreCase(text(line.get(1)));
            scripts.add(new Script(text(line.get(0)), active));
        }
        return scripts;
    }

    /** The script's bytes, or null when there is no such script. */
    byte[] getScript(String name) throws IOException {
        Response r = command(atom("GETSCRIPT"), name);
        if (!r.ok()) {
            if (r.hasCode("NONEXISTENT")) {
                return null;
            }
            throw new ServerNo("GETSCRIPT", r);
        }
        for (List<Object> line : r.data()) {
            for (Object token : line) {
                if (token instanceof byte[] b) {
                    return b;
                }
                if (token instanceof Str s) {
                    return s.bytes;
                }
            }
        }
        return new byte[0];
    }

    Response expectOk(String what, Response r) throws ServerNo {
        if (!r.ok()) {
            throw new ServerNo(what, r);
        }
        return r;
    }

    /** Polite end of session; errors are irrelevant at that point. */
    void logout() {
        try {
            command(atom("LOGOUT"));
        } catch (IOException ignored) {
            // the server may close first
        }
        close();
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    // ------------------------------------------------------------------ wire format

    /** Marker for words sent verbatim (command names). */
    private record Atom(String word) {
    }

    /** A quoted string as read from the server (kept as bytes so UTF-8 decodes once). */
    private record Str(byte[] bytes) {
    }

    private static Atom atom(String word) {
        return new Atom(word);
    }

    /** Sends one command (atoms, strings, byte[] as literals) and reads the reply. */
    private Response command(Object... parts) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                buf.write(' ');
            }
            Object p = parts[i];
            if (p instanceof Atom a) {
                buf.writeBytes(a.word().getBytes(StandardCharsets.US_ASCII));
            } else if (p instanceof byte[] b) {
                writeLiteral(buf, b);
            } else {
                writeString(buf, (String) p);
            }
        }
        buf.write('\r');
        buf.write('\n');
        buf.writeTo(out);
        out.flush();
        return readResponse();
    }

    private static void writeString(ByteArrayOutputStream buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        // quoted strings may not hold CR/LF/NUL and servers cap their length: use a literal then
        boolean quotable = b.length <= 1024;
        for (byte x : b) {
            if (x == '\r' || x == '\n' || x == 0) {
                quotable = false;
                break;
            }
        }
        if (!quotable) {
            writeLiteral(buf, b);
            return;
        }
        buf.write('"');
        for (byte x : b) {
            if (x == '"' || x == '\\') {
                buf.write('\\');
            }
            buf.write(x);
        }
        buf.write('"');
    }

    private static void writeLiteral(ByteArrayOutputStream buf, byte[] b) {
        buf.writeBytes(("{" + b.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
        buf.writeBytes(b);
    }

    /** Reads lines until one starts with OK, NO or BYE. */
    Response readResponse() throws IOException {
        List<List<Object>> data = new ArrayList<>();
        while (true) {
            List<Object> line = readLine();
            if (!line.isEmpty() && line.get(0) instanceof Atom a) {
                String st = a.word().toUpperCase(Locale.ROOT);
                if (st.equals("OK") || st.equals("NO") || st.equals("BYE")) {
                    String code = null;
                    StringBuilder text = new StringBuilder();
                    for (Object t : line.subList(1, line.size())) {
                        if (t instanceof Paren p && code == null) {
                            code = p.text();
                        } else {
                            if (text.length() > 0) {
                                text.append(' ');
                            }
                            text.append(text(t));
                        }
                    }
                    return new Response(st, code, text.toString(), data);
                }
            }
            data.add(line);
        }
    }

    /** A parenthesised response code, flattened to text (e.g. {@code SASL "..."}). */
    private record Paren(String text) {
    }

    private static String text(Object token) {
        if (token instanceof Atom a) {
            return a.word();
        }
        if (token instanceof Str s) {
            return new String(s.bytes, StandardCharsets.UTF_8);
        }
        if (token instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (token instanceof Paren p) {
            return p.text();
        }
        return String.valueOf(token);
    }

    /** One logical line: tokens up to CRLF; a literal's bytes do not end the line. */
    private List<Object> readLine() throws IOException {
        List<Object> tokens = new ArrayList<>();
        StringBuilder paren = null;
        while (true) {
            int c = read();
            if (c == ' ') {
                continue;
            }
            if (c == '\r') {
                c = read();
            }
            if (c == '\n') {
                if (paren != null) {
                    tokens.add(new Paren(paren.toString()));
                }
                return tokens;
            }
            Object token;
            if (c == '"') {
                token = readQuoted();
            } else if (c == '{') {
                token = readLiteral();
            } else if (c == '(') {
                paren = new StringBuilder();
                continue;
            } else if (c == ')' && paren != null) {
                tokens.add(new Paren(paren.toString()));
                paren = null;
                continue;
            } else {
                StringBuilder w = new StringBuilder().append((char) c);
                while (true) {
                    in.mark(1);
                    int d = read();
                    if (d == ' ' || d == '\r' || d == '\n' || d == '(' || d == ')' || d == '"' || d == '{') {
                        in.reset();
                        break;
                    }
                    w.append((char) d);
                }
                token = new Atom(w.toString());
            }
            if (paren != null) {
                if (paren.length() > 0) {
                    paren.append(' ');
                }
                paren.append(token instanceof Atom a ? a.word() : text(token));
            } else {
                tokens.add(token);
            }
        }
    }

    private Str readQuoted() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = read();
            if (c == '"') {
                return new Str(b.toByteArray());
            }
            if (c == '\\') {
                c = read();
            }
            b.write(c);
        }
    }

    private byte[] readLiteral() throws IOException {
        int n = 0;
        int c;
        while ((c = read()) != '}') {
            if (c == '+') {
                continue;
            }
            if (c < '0' || c > '9' || n > MAX_LITERAL / 10) {
                throw new IOException("bad literal length from server");
            }
            n = n * 10 + (c - '0');
        }
        if (read() != '\r' || read() != '\n') {
            throw new IOException("bad literal from server");
        }
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new EOFException("connection closed inside a literal");
        }
        return data;
    }

    private int read() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("connection closed by server");
        }
        return c;
    }
}
