package com.mailgov.directory.spec;

import com.mailgov.json.Json;
import com.mailgov.directory.ObjectKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Stored JSON ↔ spec records. */
@ApplicationScoped
public class SpecCodec {

    @Inject
    Json json;

    public String write(DirectorySpec spec) {
        return json.write(spec);
    }

    public DirectorySpec read(ObjectKind kind, String stored) {
        return json.read(stored, DirectorySpec.typeOf(kind));
    }
}
