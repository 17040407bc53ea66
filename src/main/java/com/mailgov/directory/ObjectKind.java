package com.mailgov.directory;

/** The kinds of directory object a change request can touch. */
public enum ObjectKind {
    MAILBOX,
    FORWARD,
    MAILING_LIST,
    LIST_MEMBER,
    EXTERNAL_SUBSCRIPTION,
    AUTOREPLY;

    /** Joins the two addresses of a pair key (list member, subscription); a space never occurs in an address. */
    public static String pairKey(String first, String second) {
        return first + " " + second;
    }
}
