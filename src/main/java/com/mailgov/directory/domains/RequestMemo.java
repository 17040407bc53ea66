package com.mailgov.directory.domains;

import jakarta.enterprise.context.RequestScoped;

/**
 * The domains one HTTP request (or scheduled run) works with: read once, then the same throughout.
 * Accessed through methods only: a field write would land on the shared client proxy.
 */
@RequestScoped
@io.quarkus.arc.Unremovable
class RequestMemo {

    private CompanyDomains.Snapshot snapshot;

    CompanyDomains.Snapshot get() {
        return snapshot;
    }

    void set(CompanyDomains.Snapshot value) {
        snapshot = value;
    }
}
