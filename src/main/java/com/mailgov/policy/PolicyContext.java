package com.mailgov.policy;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.DirectorySpec;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a rule sees: the directory as it would be after the request ({@code proposed}), the
 * object changes that lead there, and which domains are internal.
 */
public record PolicyContext(DirectoryView proposed, List<ObjectChange> changes, Predicate<String> isInternal) {

    /** New or updated specs of one kind: what the request brings into being. */
    public <T extends DirectorySpec> Stream<T> added(ObjectKind kind, Class<T> type) {
        return changes.stream()
                .filter(c -> c.kind() == kind && c.after() != null)
                .map(c -> type.cast(c.after()));
    }
}
