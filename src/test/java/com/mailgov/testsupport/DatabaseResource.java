package com.mailgov.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the test database once for the whole suite (all @QuarkusTest classes share one app). */
@QuarkusTestResource(PostgresTestResource.class)
public final class DatabaseResource {
    private DatabaseResource() {
    }
}
