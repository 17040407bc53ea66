package com.mailgov.push.server;

/** A mail server was deleted (fired in the deleting transaction): what others keep about it goes too. */
public record ServerDeleted(long serverId) {
}
