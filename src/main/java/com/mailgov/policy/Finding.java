package com.mailgov.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a rule found: its id and severity, the explanation in English and Japanese, the witness
 * path through the mail flow ({@code a → b → (autoreply) → a}), what to do about it, and, for
 * loops, the estimated messages per hour if it ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String ruleId, Severity severity, String message, String messageJa, List<String> path,
                      String remedy, String remedyJa, Long amplificationPerHour) {
}
