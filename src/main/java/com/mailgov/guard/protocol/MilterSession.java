package com.mailgov.guard.protocol;

import com.mailgov.guard.detect.Decider;
import com.mailgov.guard.detect.Observation;
import com.mailgov.guard.detect.Verdict;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The milter protocol (version 6, as Postfix speaks it; MILTER_README): 4-byte length, one command
 * byte, data. Asks for no body; keeps the envelope, the headers that tell a loop (From,
 * Auto-Submitted, Precedence, List-Id, List-Post, In-Reply-To, Reply-To, Message-ID) and the queue
 * id (macro {@code i}); decides at end of message: continue, quarantine (hold queue) or tempfail.
 */
final class MilterSession implements Session {

    static final int VERSION = 6;
    static final int SMFIF_QUARANTINE = 0x20;
    static final int SMFIP_NOBODY = 0x10;
    static final int SMFIP_NOUNKNOWN = 0x100;
    static final int SMFIP_NODATA = 0x200;
    private static final int MAX_HEADER_VALUE = 998;

    private final Decider decider;
    private final Limits limits;
    private final byte[] lengthBytes = new byte[4];
    private int lengthRead;
    private byte[] frame;
    private int frameRead;
    private boolean open = true;

    // message state
    private String queueId;
    private String sender;
    private final List<String> recipients = new ArrayList<>();
    private String from;
    private String autoSubmitted;
    private String precedence;
    private String listId;
    private String listPost;
    private String inReplyTo;
    private String replyTo;
    private String messageId;

    MilterSession(Decider decider, Limits limits) {
        this.decider = decider;
        this.limits = limits;
    }

    @Override
    public boolean open() {
        return open;
    }

    @Override
    public void feed(Buffer data, Consumer<Buffer> reply) throws ProtocolViolation {
        int i = 0;
        int n = data.length();
        while (i < n && open) {
            if (frame == null) {
                lengthBytes[lengthRead++] = data.getByte(i++);
                if (lengthRead == 4) {
                    long length = ((lengthBytes[0] & 0xffL) << 24) | ((lengthBytes[1] & 0xff) << 16)
                            | ((lengthBytes[2] & 0xff) << 8) | (lengthBytes[3] & 0xff);
                    if (length < 1 || length > limits.maxFrame()) {
                        throw new ProtocolViolation("milter frame of " + length + " bytes");
                    }
                    frame = new byte[(int) length];
                    frameRead = 0;
                    lengthRead = 0;
                }
            } else {
                int take = Math.min(frame.length - frameRead, n - i);
                data.getBytes(i, i + take, frame, frameRead);
                frameRead += take;
                i += take;
                if (frameRead == frame.length) {
                    byte[] f = frame;
                    frame = null;
                    command((char) f[0], f, reply);
                }
            }
        }
    }

    private void command(char cmd, byte[] f, Consumer<Buffer> reply) throws ProtocolViolation {
        switch (cmd) {
            case 'O' -> negotiate(f, reply);
            case 'D' -> macros(f);
            case 'C', 'H', 'T', 'N', 'B', 'U' -> reply.accept(CONTINUE.copy());
            case 'M' -> {
                resetMessage();
                List<String> args = strings(f, 1);
                sender = args.isEmpty() ? "" : args.get(0);
                reply.accept(CONTINUE.copy());
            }
            case 'R' -> {
                List<String> args = strings(f, 1);
                if (!args.isEmpty() && recipients.size() < limits.maxRecipients()) {
                    recipients.add(args.get(0));
                }
                reply.accept(CONTINUE.copy());
            }
            case 'L' -> {
                header(strings(f, 1));
                reply.accept(CONTINUE.copy());
            }
            case 'E' -> endOfMessage(reply);
            case 'A' -> resetMessage();
            case 'Q' -> open = false;
            case 'K' -> {
                resetMessage();
                queueId = null;
            }
            default -> throw new ProtocolViolation("unknown milter command " + (int) cmd);
        }
    }

    private void negotiate(byte[] f, Consumer<Buffer> reply) throws ProtocolViolation {
        if (f.length < 13) {
            throw new ProtocolViolation("short milter option negotiation");
        }
        int version = readInt(f, 1);
        int actions = readInt(f, 5);
        int protocol = readInt(f, 9);
        if (version < 2) {
            throw new ProtocolViolation("milter version " + version);
        }
        Buffer b = Buffer.buffer(17);
        b.appendInt(13).appendByte((byte) 'O').appendInt(Math.min(version, VERSION))
                .appendInt(actions & SMFIF_QUARANTINE)
                .appendInt(protocol & (SMFIP_NOBODY | SMFIP_NOUNKNOWN | SMFIP_NODATA));
        reply.accept(b);
    }

    private void macros(byte[] f) {
        List<String> kv = strings(f, 2);
        for (int k = 0; k + 1 < kv.size(); k += 2) {
            String name = kv.get(k);
            if (name.equals("i") || name.equals("{i}")) {
                queueId = kv.get(k + 1);
            }
        }
    }

    private void header(List<String> nameValue) {
        if (nameValue.size() < 2) {
            return;
        }
        String value = nameValue.get(1).strip();
        if (value.length() > MAX_HEADER_VALUE) {
            value = value.substring(0, MAX_HEADER_VALUE);
        }
        switch (nameValue.get(0).toLowerCase(java.util.Locale.ROOT)) {
            case "from" -> from = first(from, value);
            case "auto-submitted" -> autoSubmitted = first(autoSubmitted, value);
            case "precedence" -> precedence = first(precedence, value);
            case "list-id" -> listId = first(listId, value);
            case "list-post" -> listPost = first(listPost, value);
            case "in-reply-to" -> inReplyTo = first(inReplyTo, value);
            case "reply-to" -> replyTo = first(replyTo, value);
            case "message-id" -> messageId = first(messageId, value);
            default -> {
            }
        }
    }

    private static String first(String existing, String value) {
        return existing != null ? existing : value;
    }

    private void endOfMessage(Consumer<Buffer> reply) {
        Observation o = new Observation(Observation.Hook.MILTER, queueId, sender == null ? "" : sender, List.copyOf(recipients),
                from, autoSubmitted, precedence, listId, listPost, inReplyTo, replyTo, messageId);
        Verdict verdict = decider.decide(o);
        switch (verdict.action()) {
            case PASS -> reply.accept(CONTINUE.copy());
            case HOLD -> {
                byte[] reason = ascii(verdict.text());
                Buffer b = Buffer.buffer(reason.length + 6);
                b.appendInt(reason.length + 2).appendByte((byte) 'q').appendBytes(reason).appendByte((byte) 0);
                b.appendBuffer(CONTINUE);
                reply.accept(b);
                decider.account(o, verdict);
            }
            case DEFER -> {
                reply.accept(Buffer.buffer().appendInt(1).appendByte((byte) 't'));
                decider.account(o, verdict);
            }
        }
        resetMessage();
    }

    private void resetMessage() {
        sender = null;
        recipients.clear();
        from = autoSubmitted = precedence = listId = listPost = inReplyTo = replyTo = messageId = null;
    }

    /** NUL-terminated strings after the command byte (and {@code skip - 1} more bytes, e.g. the macro stage). */
    private static List<String> strings(byte[] f, int skip) {
        List<String> out = new ArrayList<>();
        int start = skip;
        for (int i = skip; i < f.length; i++) {
            if (f[i] == 0) {
                out.add(new String(f, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < f.length) {
            out.add(new String(f, start, f.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static int readInt(byte[] f, int at) {
        return ((f[at] & 0xff) << 24) | ((f[at + 1] & 0xff) << 16) | ((f[at + 2] & 0xff) << 8) | (f[at + 3] & 0xff);
    }

    private static byte[] ascii(String text) {
        String t = text == null ? "loop guard" : text;
        return t.replaceAll("[^\\x20-\\x7e]", "?").getBytes(StandardCharsets.US_ASCII);
    }

    private static final Buffer CONTINUE = Buffer.buffer().appendInt(1).appendByte((byte) 'c');
}
