package com.mailgov.policy.standard;

import com.mailgov.directory.ObjectChange;
import com.mailgov.policy.Finding;

import java.util.List;

/**
 * A submitted request as a standard change class judges it: the object changes it makes, the
 * findings the policy gave it, the submitter's own mailbox (null unless the submitter is acting
 * for their own mailbox through self-service), and the company directory source it came from
 * (null unless the directory sync proposed it).
 */
public record StandardChangeCandidate(String ownMailbox, String directorySource, List<ObjectChange> changes,
                                      List<Finding> findings) {

    public StandardChangeCandidate(String ownMailbox, List<ObjectChange> changes, List<Finding> findings) {
        this(ownMailbox, null, changes, findings);
    }
}
