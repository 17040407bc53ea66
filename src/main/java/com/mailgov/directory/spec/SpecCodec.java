package com.mailgov.directory.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.directory.ObjectKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Stored JSON ↔ spec records. */
@ApplicationScoped
public class SpecCodec {

    @Inject
    ObjectMapper json;

    public String write(DirectorySpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("spec not serialisable", e);
        }
    }

    public DirectorySpec read(ObjectKind kind, String stored) {
        try {
            return json.readValue(stored, DirectorySpec.typeOf(kind));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + kind + " spec is not readable", e);
        }
    }
}
