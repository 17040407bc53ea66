package com.mailgov.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * JSON the application wrote itself (stored columns, audit payloads, webhook bodies). A failure
 * here is a programming error, not bad input, so it is unchecked; input from users is read where
 * its errors become problem responses.
 */
@ApplicationScoped
public class Json {

    @Inject
    ObjectMapper mapper;

    public ObjectMapper mapper() {
        return mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public JsonNode tree(String stored) {
        try {
            return mapper.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    public <T> T read(String stored, Class<T> type) {
        try {
            return mapper.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not a " + type.getSimpleName(), e);
        }
    }

    public <T> T read(String stored, TypeReference<T> type) {
        try {
            return mapper.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not a " + type.getType(), e);
        }
    }

    public <T> T convert(Object value, Class<T> type) {
        return mapper.convertValue(value, type);
    }

    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }
}
