package com.mailgov.push.connector;

import java.util.List;
import java.util.Set;

/**
 * What a Sieve script does that matters before mailgov adds its vacation to a mailbox: its
 * responder actions (anything that sends mail because mail arrived) and the scripts it includes.
 * Recognised by the script's structure, never by searching its text: a comment saying "vacation"
 * is not a responder, a {@code notify} is.
 */
public interface SieveInspector {

    /** The Sieve actions that answer or pass on mail: with one of them a user's script is a responder. */
    Set<String> RESPONDER_ACTIONS = Set.of("vacation", "notify", "redirect", "reject", "ereject");

    /**
     * @param responders       responder actions used (names from {@link #RESPONDER_ACTIONS}), sorted
     * @param personalIncludes names of {@code :personal} (default) includes, to be read and inspected too
     * @param globalIncludes   names of {@code :global} includes (not readable over ManageSieve)
     * @param problem          why the script could not be read (then nothing above is known), or null
     */
    record Inspection(List<String> responders, List<String> personalIncludes, List<String> globalIncludes, String problem) {

        public static Inspection unreadable(String problem) {
            return new Inspection(List.of(), List.of(), List.of(), problem);
        }
    }

    Inspection inspect(String script);
}
