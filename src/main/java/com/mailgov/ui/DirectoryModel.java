package com.mailgov.ui;

import com.mailgov.directory.DepartmentService.DepartmentView;
import com.mailgov.directory.DirectoryService.DirectoryObjectView;
import com.mailgov.directory.DirectoryService.RevisionView;
import com.mailgov.directory.ObjectKind;

import java.util.List;

/**
 * The directory page: one page of the current objects matching the filters, and the latest
 * revisions; {@code next}/{@code previous} are the neighbouring pages' cursors (null at the ends).
 */
public record DirectoryModel(long revision, List<Entry> objects, List<RevisionView> revisions,
                             List<DepartmentView> departments, String department, String kind, String q,
                             String next, String previous) {

    /** An object with its spec flattened to readable field rows. */
    public record Entry(DirectoryObjectView object, List<ItemDiff.Row> fields) {
    }

    public List<ObjectKind> kinds() {
        return List.of(ObjectKind.values());
    }
}
