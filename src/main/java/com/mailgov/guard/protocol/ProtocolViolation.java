package com.mailgov.guard.protocol;

/** The peer broke the protocol or a limit: the connection is dropped (Postfix then applies its default action). */
final class ProtocolViolation extends Exception {

    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
