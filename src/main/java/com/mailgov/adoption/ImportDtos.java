package com.mailgov.adoption;

import com.mailgov.sieve.Responder;

import java.util.List;
import java.util.UUID;

/** What the import API takes and returns. */
public final class ImportDtos {

    private ImportDtos() {
    }

    /**
     * Which department gets what. Exactly one of {@code domain} (the address's domain or a
     * subdomain of it), {@code address} (a pattern, {@code *} = any characters) or {@code list} (a
     * list address: the list and its memberships) per rule. The first matching rule wins, list
     * rules first, then address, then domain rules; the rest goes to {@code holdingDepartment}.
     */
    public record MappingRule(String domain, String address, String list, String department) {
    }

    /** @param holdingDepartment default {@code IMPORTED}; created when missing */
    public record ImportRequest(List<MappingRule> rules, String holdingDepartment) {
    }

    /** One change request the import proposed (or found already proposed). */
    public record Proposal(String department, UUID changeRequestId, int items) {
    }

    /** An artifact that was not (or only partly) imported, and why. */
    public record Problem(String artifact, String reason) {
    }

    /** A mailbox's active Sieve script as the import read it. */
    public record ScriptSeen(String mailbox, String script, boolean parses, String error, List<ResponderSeen> responders,
                             List<String> includes) {
    }

    public record ResponderSeen(Responder.Kind kind, int line, String target, Long intervalSeconds, boolean unbounded,
                                boolean answersSender) {
        static ResponderSeen of(Responder r) {
            return new ResponderSeen(r.kind(), r.line(), r.target(), r.intervalSeconds(), r.unbounded(), r.answersSender());
        }
    }

    /**
     * @param read       artifacts read from the server
     * @param proposed   objects proposed now, over all requests
     * @param unchanged  artifacts the directory already holds as they are (nothing to do)
     * @param pending    artifacts already proposed by an earlier, not yet decided import (a resumed or repeated import)
     */
    public record ImportResult(long serverId, String server, String kind, int read, int proposed, int unchanged, int pending,
                               List<Proposal> requests, List<Problem> problems, List<ScriptSeen> scripts) {
    }
}
