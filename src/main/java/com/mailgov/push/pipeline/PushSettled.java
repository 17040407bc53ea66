package com.mailgov.push.pipeline;

import java.util.UUID;

/**
 * Fired (synchronously, inside the transaction that changed the jobs) when a change request's push
 * job finished or went away. The push pipeline does not know what a change request does with it.
 */
public record PushSettled(UUID changeRequest) {
}
