package com.mailgov.change;

import java.util.UUID;

/**
 * Fired synchronously inside the transaction that approves a request, after the directory holds
 * its objects: observers (e.g. the import, which adopts the server artifacts) commit or roll back
 * with the approval.
 */
public record ChangeApproved(UUID changeRequest, long revision) {
}
