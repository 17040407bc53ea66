package com.mailgov.ui;

import com.mailgov.directory.DepartmentService.DepartmentView;
import com.mailgov.directory.DirectoryService.DirectoryObjectView;
import com.mailgov.directory.DirectoryService.RevisionView;
import com.mailgov.directory.ObjectKind;

import java.util.List;

/** The directory page: current objects matching the filters, and the latest revisions. */
public record DirectoryModel(long revision, List<Entry> objects, List<RevisionView> revisions,
                             List<DepartmentView> departments, String department, String kind, String q) {

    /** An object with its spec flattened to readable field rows. */
    public record Entry(DirectoryObjectView object, List<ItemDiff.Row> fields) {
    }

    public List<ObjectKind> kinds() {
        return List.of(ObjectKind.values());
    }
}
