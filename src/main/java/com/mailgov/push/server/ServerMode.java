package com.mailgov.push.server;

/**
 * How far mailgov may act on a server. A registered server starts in OBSERVE; an admin switches it
 * to ENFORCE by confirming its plan (every write, with a hash), and can switch it back at any time.
 */
public enum ServerMode {
    /** Read and reported (drift, import); no push job, no reconcile, nothing written. */
    OBSERVE,
    /** Receives approved changes and reconciles, but only for what mailgov manages there. */
    ENFORCE
}
