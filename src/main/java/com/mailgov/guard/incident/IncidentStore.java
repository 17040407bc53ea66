package com.mailgov.guard.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of loop_incident and loop_held_message, read into views. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class IncidentStore {

    static final String COLUMNS = """
            id, status, opened_at, stopped_at, stopped_by, closed_at, policy_version, CAST(cycle AS text), CAST(edges AS text),
            CAST(correlated AS text), CAST(stop_action AS text), review_due_at, reviewed_by, reviewed_at""";

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    public Optional<LoopIncidentView> find(long id, boolean withMessages, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM loop_incident WHERE id = :id"
                        + (lock ? " FOR UPDATE" : ""))
                .setParameter("id", id).getResultList();
        return rows.stream().findFirst().map(r -> view(r, withMessages));
    }

    public List<LoopIncidentView> list(String status, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM loop_incident"
                        + " WHERE (:status = '' OR status = :status) ORDER BY id DESC LIMIT :limit")
                .setParameter("limit", limit)
                .setParameter("status", status == null ? "" : status)
                .getResultList();
        return rows.stream().map(r -> view(r, false)).toList();
    }

    LoopIncidentView view(Object[] r, boolean withMessages) {
        long id = ((Number) r[0]).longValue();
        return new LoopIncidentView(id, (String) r[1], instant(r[2]), instant(r[3]), (String) r[4], instant(r[5]),
                ((Number) r[6]).longValue(), read((String) r[7], new TypeReference<List<String>>() { }),
                read((String) r[8], new TypeReference<List<LoopIncidentView.EdgeView>>() { }),
                read((String) r[9], new TypeReference<Map<String, Object>>() { }),
                r[10] == null ? null : read((String) r[10], new TypeReference<Map<String, Object>>() { }),
                instant(r[11]), (String) r[12], instant(r[13]), counts(id), withMessages ? held(id) : null);
    }

    LoopIncidentView.MessageCounts counts(long id) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        SELECT count(*) FILTER (WHERE action = 'HOLD'), count(*) FILTER (WHERE action = 'DEFER'),
                               count(*) FILTER (WHERE released_at IS NOT NULL), count(*) FILTER (WHERE released_at IS NULL)
                        FROM loop_held_message WHERE incident_id = :id""")
                .setParameter("id", id).getSingleResult();
        return new LoopIncidentView.MessageCounts(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), ((Number) r[3]).longValue());
    }

    @SuppressWarnings("unchecked")
    List<LoopIncidentView.HeldMessageView> held(long id) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, action, hook, queue_id, message_id, src, dst, observed_at, released_at, release_note
                        FROM loop_held_message WHERE incident_id = :id ORDER BY id LIMIT 10000""")
                .setParameter("id", id).getResultList();
        List<LoopIncidentView.HeldMessageView> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new LoopIncidentView.HeldMessageView(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], (String) r[6], instant(r[7]), instant(r[8]), (String) r[9]));
        }
        return out;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored incident is not readable", e);
        }
    }

    static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof Instant i ? i : ((OffsetDateTime) o).toInstant();
    }
}
