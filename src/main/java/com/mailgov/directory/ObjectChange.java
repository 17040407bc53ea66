package com.mailgov.directory;

import com.mailgov.directory.spec.DirectorySpec;

/**
 * One object's change as a request resolves it against a revision: {@code before} null means
 * created, {@code after} null means deleted.
 */
public record ObjectChange(ObjectKind kind, String key, String department, DirectorySpec before, DirectorySpec after) {

    public enum Type { CREATED, UPDATED, DELETED }

    public Type type() {
        return before == null ? Type.CREATED : after == null ? Type.DELETED : Type.UPDATED;
    }
}
