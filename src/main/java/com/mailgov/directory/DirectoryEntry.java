package com.mailgov.directory;

import com.mailgov.directory.spec.DirectorySpec;

/** A directory object in a given state: who owns it and what it is. */
public record DirectoryEntry(String department, DirectorySpec spec) {
}
