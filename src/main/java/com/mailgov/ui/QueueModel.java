package com.mailgov.ui;

import com.mailgov.change.ChangeRequestDtos.ChangeRequestSummary;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.DepartmentService.DepartmentView;
import com.mailgov.policy.Severity;

import java.util.List;
import java.util.Map;

/** The queue: the requests that match the filters, oldest first, and counts per status. */
public record QueueModel(List<ChangeRequestSummary> requests, Map<ChangeStatus, Long> counts,
                         List<DepartmentView> departments, String department, String status, String severity) {

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
