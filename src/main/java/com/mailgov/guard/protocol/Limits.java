package com.mailgov.guard.protocol;

import com.mailgov.guard.GuardConfig;

/** The per-connection bounds of both protocols. */
record Limits(int maxLine, int maxAttributes, int maxFrame, int maxRecipients) {

    static Limits of(GuardConfig config) {
        return new Limits(config.maxLine(), config.maxAttributes(), config.maxFrame(), config.maxRecipients());
    }
}
