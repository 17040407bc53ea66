package com.mailgov.directory.spec;

import com.mailgov.directory.ObjectKind;

import java.util.List;

/** Mail to {@code source} goes to every target; with {@code keepCopy} it is delivered to the source too. */
public record ForwardSpec(String source, List<String> targets, Boolean keepCopy) implements DirectorySpec {
    @Override
    public ObjectKind kind() {
        return ObjectKind.FORWARD;
    }

    @Override
    public String key() {
        return source;
    }
}
