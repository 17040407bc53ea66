package com.mailgov.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a rule found: its id and severity, the explanation in English and Japanese, the witness
 * path through the mail flow ({@code a → b → (autoreply) → a}) and its labelled edges, what to do
 * about it, and, for loops, the estimated messages per hour if it ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String ruleId, Severity severity, String message, String messageJa, List<String> path,
                      List<Edge> edges, String remedy, String remedyJa, Long amplificationPerHour) {

    /** The marker between the mailbox and the address an autoreply answers, in paths. */
    public static final String AUTOREPLY_STEP = "(autoreply)";

    /** One hop of mail flow: forward, list member, external list → subscriber, or an autoreply. */
    public record Edge(String from, String to, EdgeKind kind) {
    }

    public enum EdgeKind { FORWARD, MEMBER, SUBSCRIPTION, AUTOREPLY }

    public Finding withSeverity(Severity newSeverity, String note, String noteJa) {
        return new Finding(ruleId, newSeverity, message + " " + note, messageJa + " " + noteJa, path, edges,
                remedy, remedyJa, amplificationPerHour);
    }
}
