package com.mailgov.change;

/** What a person can do with a change request once it exists. */
public enum RequestAction {
    APPROVE, REJECT, WITHDRAW, RETRY_PUSH
}
