package com.mailgov.push.connector;

/** The Mailman list settings mailgov governs, as the canonical content of a LIST artifact. */
public final class MailmanListSettings {

    private MailmanListSettings() {
    }

    /** Sorted {@code name=value} lines joined by LF, no trailing newline. */
    public static String content(String displayName, boolean listHeaders, boolean replyToList) {
        return "display_name=" + displayName.replace('\n', ' ').replace('\r', ' ') + "\n"
                + "include_rfc2369_headers=" + listHeaders + "\n"
                + "reply_goes_to_list=" + (replyToList ? "point_to_list" : "no_munging");
    }
}
