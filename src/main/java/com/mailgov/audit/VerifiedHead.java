package com.mailgov.audit;

import java.time.Instant;

/**
 * What this replica has already verified of the chain: the last entry found sound, or the first
 * failure found. In memory only — a new replica starts with one full walk — since it only saves
 * work; the truth stays in the table.
 */
final class VerifiedHead {

    /** The last sound entry (seq 0 and the genesis hash before any). */
    record Known(long seq, String hash, AuditVerification failure) {
    }

    private Known known;
    /** When this replica last walked the whole chain and compared it with the signed checkpoints. */
    private Instant fullAt;

    synchronized Instant fullAt() {
        return fullAt;
    }

    synchronized Known known() {
        return known;
    }

    /**
     * Keeps a walk's outcome. A failure sticks until a full walk passes: the page must not call a
     * chain sound again because the entries after the broken one link up.
     */
    synchronized AuditVerification remember(AuditVerification result, boolean full) {
        if (full) {
            fullAt = Instant.now();
        }
        if (!result.valid()) {
            known = new Known(known == null ? 0 : known.seq(), known == null ? AuditChain.GENESIS : known.hash(), result);
        } else if (full || known == null || (known.failure() == null && result.entries() > known.seq())) {
            known = new Known(result.entries(), result.headHash(), null);
        }
        return result;
    }
}
