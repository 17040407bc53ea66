package com.mailgov.peoplesync;

import java.time.Instant;
import java.util.List;

/** A person as the directory describes them, checked and normalised: their mailbox, name, department, aliases, leaving time. */
record Person(String dn, String address, String displayName, String department, List<String> aliases, Instant leavingAt) {

    boolean hasLeft(Instant now) {
        return leavingAt != null && !now.isBefore(leavingAt);
    }
}
