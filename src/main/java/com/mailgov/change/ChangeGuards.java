package com.mailgov.change;

import com.mailgov.security.Actor;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what with a request, in one place: the commands enforce these refusals, and the views
 * list the actions without one, so the API and the UI offer exactly what the commands accept.
 */
final class ChangeGuards {

    private ChangeGuards() {
    }

    /** Why {@code actor} may not do {@code action} with {@code cr} now, or empty when they may. */
    static Optional<ApiException> refusal(Actor actor, ChangeRequest cr, RequestAction action) {
        return switch (action) {
            case APPROVE -> decidable(actor, cr, "approve");
            case REJECT -> decidable(actor, cr, "reject");
            case WITHDRAW -> !cr.createdBy.equals(actor.username())
                    ? Optional.of(ApiException.forbidden("Only the person who submitted a request can withdraw it"))
                    : status(cr, ChangeStatus.SUBMITTED, "withdraw");
            case RETRY_PUSH -> !actor.has(Roles.ADMIN)
                    ? Optional.of(ApiException.forbidden("Only admins can retry a push"))
                    : status(cr, ChangeStatus.FAILED, "retry the push of");
        };
    }

    static void require(Actor actor, ChangeRequest cr, RequestAction action) {
        Optional<ApiException> refused = refusal(actor, cr, action);
        if (refused.isPresent()) {
            throw refused.get();
        }
    }

    /** An emergency change is reviewed once, by an approver who did not apply it. */
    static void requireReviewable(Actor actor, ChangeRequest cr) {
        if (cr.changeType != ChangeType.EMERGENCY) {
            throw new ApiException(ProblemType.INVALID_STATE, "Only emergency changes are reviewed after the fact");
        }
        if (!actor.has(Roles.APPROVER)) {
            throw ApiException.forbidden("Only approvers can review emergency changes");
        }
        if (actor.username().equals(cr.decidedBy)) {
            throw new ApiException(ProblemType.SELF_APPROVAL, "The emergency change must be reviewed by someone other than "
                    + cr.decidedBy);
        }
        if (cr.reviewedAt != null) {
            throw new ApiException(ProblemType.INVALID_STATE, "The emergency change was reviewed by " + cr.reviewedBy);
        }
    }

    static Set<RequestAction> allowed(Actor actor, ChangeRequest cr) {
        Set<RequestAction> allowed = EnumSet.noneOf(RequestAction.class);
        for (RequestAction action : RequestAction.values()) {
            if (refusal(actor, cr, action).isEmpty()) {
                allowed.add(action);
            }
        }
        return allowed;
    }

    private static Optional<ApiException> decidable(Actor actor, ChangeRequest cr, String verb) {
        if (!actor.has(Roles.APPROVER)) {
            return Optional.of(ApiException.forbidden("Only approvers can " + verb + " requests"));
        }
        if (cr.createdBy.equals(actor.username())) {
            return Optional.of(new ApiException(ProblemType.SELF_APPROVAL,
                    "You submitted this request, so someone else must " + verb + " it (four eyes); you can withdraw it"));
        }
        if (cr.externalAuthor != null && cr.externalAuthor.equalsIgnoreCase(actor.username())) {
            return Optional.of(new ApiException(ProblemType.SELF_APPROVAL, "You filed ticket " + cr.externalKey
                    + " that this request comes from, so someone else must " + verb + " it (four eyes)"));
        }
        return status(cr, ChangeStatus.SUBMITTED, verb);
    }

    private static Optional<ApiException> status(ChangeRequest cr, ChangeStatus expected, String verb) {
        if (cr.status != expected) {
            return Optional.of(new ApiException(ProblemType.INVALID_STATE,
                    "Cannot " + verb + " a request that is " + cr.status + "; only " + expected + " requests can be"));
        }
        return Optional.empty();
    }
}
