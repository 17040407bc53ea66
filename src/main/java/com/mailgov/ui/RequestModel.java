package com.mailgov.ui;

import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeStatus;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Severity;
import com.mailgov.change.PreviewService;
import com.mailgov.change.RequestAction;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything the request page shows. The decision flags only decide which forms to offer and
 * which explanation to print; the service checks the same rules again when a form is sent.
 */
public record RequestModel(ChangeRequestView request, List<ItemDiff> diffs, boolean diffAgainstCurrent,
                           List<FindingView> findings, PreviewService.Preview preview, String previewUnavailable,
                           String viewer) {

    /** A finding in the viewer's language, with its loop drawn when it has one. */
    public record FindingView(Finding finding, String message, String remedy, LoopDiagram diagram) {
        static FindingView of(Finding f, String lang) {
            boolean ja = "ja".equals(lang);
            String message = ja && f.messageJa() != null ? f.messageJa() : f.message();
            String remedy = ja && f.remedyJa() != null ? f.remedyJa() : f.remedy();
            return new FindingView(f, message, remedy, LoopDiagram.of(f));
        }

        public String severityCss() {
            return f().severity().name().toLowerCase();
        }

        private Finding f() {
            return finding;
        }
    }

    public boolean submitted() {
        return request.status() == ChangeStatus.SUBMITTED;
    }

    /** Approved but not yet on every server: the page keeps refreshing its status. */
    public boolean inProgress() {
        return request.status() == ChangeStatus.APPROVED || request.status() == ChangeStatus.APPLYING;
    }

    public boolean own() {
        return request.createdBy().equals(viewer);
    }

    public boolean blocked() {
        return request.highestSeverity() == Severity.BLOCK;
    }

    public boolean needsOverride() {
        return request.highestSeverity() == Severity.WARN;
    }

    public String blockingRules() {
        return request.findings().stream().filter(f -> f.severity() == Severity.BLOCK).map(Finding::ruleId)
                .distinct().collect(Collectors.joining(", "));
    }

    /** The request's allowed actions come from the service's own guards (four eyes, roles, status). */
    public boolean canReject() {
        return request.allowedActions().contains(RequestAction.REJECT);
    }

    /** A stored BLOCK finding makes approval pointless: the form is not offered (the service re-evaluates anyway). */
    public boolean canApprove() {
        return request.allowedActions().contains(RequestAction.APPROVE) && !blocked();
    }

    public boolean canRetryPush() {
        return request.allowedActions().contains(RequestAction.RETRY_PUSH);
    }

    public boolean hasPushes() {
        return request.pushes() != null && !request.pushes().isEmpty();
    }

    public boolean canWithdraw() {
        return request.allowedActions().contains(RequestAction.WITHDRAW);
    }
}
