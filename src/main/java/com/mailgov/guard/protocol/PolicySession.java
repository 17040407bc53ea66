package com.mailgov.guard.protocol;

import com.mailgov.guard.detect.Decider;
import com.mailgov.guard.detect.Observation;
import com.mailgov.guard.detect.Verdict;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, String> attributes = new HashMap<>();
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
        for (int i = 0; i < data.length(); i++) {
            byte b = data.getByte(i);
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
            if (attributes.isEmpty()) {
                throw new ProtocolViolation("empty policy request");
            }
            reply.accept(Buffer.buffer("action=" + answer() + "\n\n"));
            attributes.clear();
            return;
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new ProtocolViolation("policy line without name=value");
        }
        if (attributes.size() >= limits.maxAttributes()) {
            throw new ProtocolViolation("more than " + limits.maxAttributes() + " policy attributes");
        }
        attributes.put(text.substring(0, eq), text.substring(eq + 1));
    }

    private String answer() {
        if (!"smtpd_access_policy".equals(attributes.get("request"))) {
            return "DUNNO";
        }
        String state = attributes.getOrDefault("protocol_state", "");
        String instance = attributes.getOrDefault("instance", "");
        if (heldInstance != null && !heldInstance.equals(instance)) {
            flushHeld(null);
        }
        if ("END-OF-MESSAGE".equalsIgnoreCase(state) && heldInstance != null) {
            flushHeld(attributes.get("queue_id"));
            return "DUNNO";
        }
        if (!"RCPT".equalsIgnoreCase(state)) {
            return "DUNNO";
        }
        String recipient = attributes.getOrDefault("recipient", "");
        Observation observation = Observation.envelope(Observation.Hook.POLICY,
                attributes.get("queue_id"), attributes.getOrDefault("sender", ""), List.of(recipient));
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
}
