package com.mailgov.policy.standard;

import com.mailgov.directory.ObjectChange;
import com.mailgov.policy.Finding;

import java.util.List;

/**
 * A submitted request as a standard change class judges it: the object changes it makes, the
 * findings the policy gave it, and the submitter's own mailbox (null unless the submitter is
 * acting for their own mailbox through self-service).
 */
public record StandardChangeCandidate(String ownMailbox, List<ObjectChange> changes, List<Finding> findings) {
}
