package com.mailgov.ui;

import com.mailgov.change.ChangeRequestDtos.ChangeRequestSummary;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.DepartmentService.DepartmentView;
import com.mailgov.policy.Severity;

import java.util.List;
import java.util.Map;

/**
 * The queue: one page of the requests that match the filters, oldest first, the cursors of the
 * neighbouring pages (null at the ends), and counts per status over all requests.
 */
public record QueueModel(List<ChangeRequestSummary> requests, Map<ChangeStatus, Long> counts,
                         List<DepartmentView> departments, String department, String status, String severity,
                         String next, String previous) {

    public List<ChangeStatus> statuses() {
        return List.of(ChangeStatus.values());
    }

    public List<Severity> severities() {
        return List.of(Severity.values());
    }

    public long count(ChangeStatus s) {
        return counts.getOrDefault(s, 0L);
    }
}
