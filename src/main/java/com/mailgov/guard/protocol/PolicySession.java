package com.mailgov.guard.protocol;

import com.mailgov.guard.detect.Decider;
import com.mailgov.guard.detect.Observation;
import com.mailgov.guard.detect.Verdict;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Postfix SMTP access policy delegation (SMTPD_POLICY_README): {@code name=value} lines, an empty
 * line ends the request, the answer is one {@code action=...} line and an empty line. Counts and
 * decides at the RCPT stage (one recipient per request); every other stage is answered DUNNO.
 */
final class PolicySession implements Session {

    private final Decider decider;
    private final Limits limits;
    private final byte[] line;
    private int length;
    /**
     * The six attributes the guard reads, by {@link #NAMES} index; the other ~25 Postfix sends are
     * only counted (decoding them all cost two strings and a map entry each, per request).
     */
    private final String[] attributes = new String[NAMES.length];
    private int attributeCount;
    private static final int REQUEST = 0;
    private static final int PROTOCOL_STATE = 1;
    private static final int INSTANCE = 2;
    private static final int QUEUE_ID = 3;
    private static final int SENDER = 4;
    private static final int RECIPIENT = 5;
    private static final byte[][] NAMES = {ascii("request"), ascii("protocol_state"), ascii("instance"), ascii("queue_id"),
            ascii("sender"), ascii("recipient")};
    private static final Buffer DUNNO = Buffer.buffer("action=DUNNO\n\n");
    /** A HOLD given at RCPT, accounted when END-OF-MESSAGE brings the queue id (or when the next message starts). */
    private String heldInstance;
    private Observation heldObservation;
    private Verdict heldVerdict;

    PolicySession(Decider decider, Limits limits) {
        this.decider = decider;
        this.limits = limits;
        this.line = new byte[limits.maxLine()];
    }

    @Override
    public void feed(Buffer data, Consumer<Buffer> reply) throws ProtocolViolation {
        byte[] bytes = data.getBytes(); // one copy instead of a bounds-checked read per byte
        for (byte b : bytes) {
            if (b == '\n') {
                endOfLine(reply);
            } else {
                if (length == line.length) {
                    throw new ProtocolViolation("policy line longer than " + line.length + " bytes");
                }
                line[length++] = b;
            }
        }
    }

    private void endOfLine(Consumer<Buffer> reply) throws ProtocolViolation {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        length = 0;
        if (end == 0) {
            if (attributeCount == 0) {
                throw new ProtocolViolation("empty policy request");
            }
            String answer = answer();
            reply.accept(answer.equals("DUNNO") ? DUNNO.copy() : Buffer.buffer("action=" + answer + "\n\n"));
            java.util.Arrays.fill(attributes, null);
            attributeCount = 0;
            return;
        }
        int eq = 0;
        while (eq < end && line[eq] != '=') {
            eq++;
        }
        if (eq == 0 || eq == end) {
            throw new ProtocolViolation("policy line without name=value");
        }
        if (attributeCount >= limits.maxAttributes()) {
            throw new ProtocolViolation("more than " + limits.maxAttributes() + " policy attributes");
        }
        attributeCount++;
        for (int k = 0; k < NAMES.length; k++) {
            if (java.util.Arrays.equals(line, 0, eq, NAMES[k], 0, NAMES[k].length)) {
                attributes[k] = new String(line, eq + 1, end - eq - 1, StandardCharsets.UTF_8);
                return;
            }
        }
    }

    private String attribute(int k, String otherwise) {
        String v = attributes[k];
        return v == null ? otherwise : v;
    }

    private String answer() {
        if (!"smtpd_access_policy".equals(attributes[REQUEST])) {
            return "DUNNO";
        }
        String state = attribute(PROTOCOL_STATE, "");
        String instance = attribute(INSTANCE, "");
        if (heldInstance != null && !heldInstance.equals(instance)) {
            flushHeld(null);
        }
        if ("END-OF-MESSAGE".equalsIgnoreCase(state) && heldInstance != null) {
            flushHeld(attributes[QUEUE_ID]);
            return "DUNNO";
        }
        if (!"RCPT".equalsIgnoreCase(state)) {
            return "DUNNO";
        }
        String recipient = attribute(RECIPIENT, "");
        Observation observation = Observation.envelope(Observation.Hook.POLICY,
                attributes[QUEUE_ID], attribute(SENDER, ""), List.of(recipient));
        Verdict verdict = decider.decide(observation);
        return switch (verdict.action()) {
            case PASS -> "DUNNO";
            case HOLD -> {
                if (heldInstance == null) {
                    heldInstance = instance;
                    heldObservation = observation;
                    heldVerdict = verdict;
                }
                yield "HOLD " + verdict.text();
            }
            case DEFER -> {
                decider.account(observation, verdict);
                yield "DEFER_IF_PERMIT 4.7.1 " + verdict.text();
            }
        };
    }

    private void flushHeld(String queueId) {
        Observation o = heldObservation;
        decider.account(new Observation(o.hook(), queueId == null || queueId.isEmpty() ? o.queueId() : queueId,
                o.envelopeSender(), o.recipients(), null, null, null, null, null, null, null, null), heldVerdict);
        heldInstance = null;
        heldObservation = null;
        heldVerdict = null;
    }

    /** The connection ended with a HOLD not yet accounted: keep it without a queue id. */
    @Override
    public void closed() {
        if (heldInstance != null) {
            flushHeld(null);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
