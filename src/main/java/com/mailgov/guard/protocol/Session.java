package com.mailgov.guard.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/** One connection's protocol state: bytes in, answers out. Never blocks, keeps bounded state. */
interface Session {

    void feed(Buffer data, Consumer<Buffer> reply) throws ProtocolViolation;

    /** False once the peer said goodbye (milter QUIT): the connection is closed. */
    default boolean open() {
        return true;
    }

    /** The connection is gone (either side); settle what is pending. */
    default void closed() {
    }
}
