package com.mailgov.change;

import com.mailgov.directory.AddressOwner;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.web.ApiException;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;

import java.util.List;
import java.util.Map;

/**
 * One rule for every kind: a request may only touch objects whose address its own department
 * owns. An address is owned by the department of the mailbox, forward or list at that address
 * ({@link AddressOwner});
 * whatever routes, answers or subscribes that address (a forward's source, an autoreply, a
 * subscription, a list's membership) is then theirs alone, so no department can divert, answer
 * for or subscribe another department's mail. The request's department counts, not the actor's:
 * an approver or admin acting for SALES is held to what SALES owns.
 */
final class AddressOwnershipGuard {

    private AddressOwnershipGuard() {
    }

    /**
     * Refuses with 403 when {@code existing} (the object the item changes) or the address the
     * item is about belongs to a department other than {@code department}.
     */
    static void requireOwned(String department, DirectorySpec spec, DirectoryEntry existing, DirectoryView view, String field) {
        if (existing != null && !existing.department().equals(department)) {
            throw refused(field, spec.kind() + " " + spec.key() + " belongs to department " + existing.department()
                    + "; only its own department can change it", existing.department());
        }
        String address = addressOf(spec);
        AddressOwner.of(view, address).filter(owner -> !owner.department().equals(department)).ifPresent(owner -> {
            throw refused(field, address + " is the " + owner.spec().kind() + " of department " + owner.department()
                    + "; only " + owner.department() + " can " + verb(spec) + " it", owner.department());
        });
    }

    /** The address whose mail the object routes, answers or subscribes. */
    static String addressOf(DirectorySpec spec) {
        if (spec instanceof MailboxSpec m) {
            return m.address();
        } else if (spec instanceof ForwardSpec f) {
            return f.source();
        } else if (spec instanceof MailingListSpec l) {
            return l.address();
        } else if (spec instanceof ListMemberSpec m) {
            return m.list();
        } else if (spec instanceof ExternalSubscriptionSpec s) {
            return s.mailbox();
        }
        return ((AutoreplySpec) spec).mailbox();
    }

    private static String verb(DirectorySpec spec) {
        return switch (spec.kind()) {
            case MAILBOX, MAILING_LIST -> "use";
            case FORWARD -> "forward";
            case LIST_MEMBER -> "change the members of";
            case EXTERNAL_SUBSCRIPTION -> "subscribe";
            case AUTOREPLY -> "set an autoreply for";
        };
    }

    private static ApiException refused(String field, String detail, String owner) {
        return new ApiException(ProblemType.FORBIDDEN, detail, List.of(new Problem.FieldError(field, detail)),
                Map.of("ownerDepartment", owner));
    }
}
