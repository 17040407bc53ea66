package com.mailgov.change;

import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Idempotency-Key support (as in the IETF httpapi draft): the same key with the same body gets the
 * first response again; with another body, 422; while the first is still running, 409. Keys are
 * scoped to the caller and recorded in the transaction that creates the resource.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    @Inject
    EntityManager em;

    /** The resource a request created and its body as first returned, kept verbatim so a replay is byte-for-byte the same. */
    public record Outcome(UUID resource, String body) {
    }

    public static void checkKey(String key) {
        if (key != null && !KEY.matcher(key).matches()) {
            throw ApiException.invalid("Idempotency-Key", "must be 1–200 visible ASCII characters");
        }
    }

    /**
     * Claims the key for this transaction. Returns the stored response of an earlier request with the
     * same key and body, or empty when this request is the first.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Outcome> claim(String actor, String key, String requestHash) {
        boolean locked = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))")
                .setParameter("k", actor + "\n" + key)
                .getSingleResult();
        if (!locked) {
            throw new ApiException(ProblemType.IDEMPOTENCY_IN_FLIGHT,
                    "A request with Idempotency-Key " + key + " is still being processed; retry shortly");
        }
        Object[] row = (Object[]) em.createNativeQuery("""
                        SELECT request_hash, status_code, location, response_body
                        FROM idempotency_record WHERE actor = :actor AND idem_key = :key""")
                .setParameter("actor", actor).setParameter("key", key)
                .getResultStream().findFirst().orElse(null);
        if (row == null) {
            return Optional.empty();
        }
        if (!requestHash.equals(row[0])) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key " + key + " was already used with a different request body");
        }
        // Older rows hold the resource's path, newer ones its id: the id is the last segment of both.
        String location = (String) row[2];
        return Optional.of(new Outcome(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)), (String) row[3]));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void store(String actor, String key, String requestHash, Outcome response) {
        em.createNativeQuery("""
                        INSERT INTO idempotency_record (id, actor, idem_key, request_hash, status_code, location,
                            response_body, created_at)
                        VALUES (nextval('idempotency_record_seq'), :actor, :key, :hash, :status, :location, :body, :at)""")
                .setParameter("actor", actor).setParameter("key", key).setParameter("hash", requestHash)
                .setParameter("status", 201).setParameter("location", response.resource().toString())
                .setParameter("body", response.body()).setParameter("at", Instant.now())
                .executeUpdate();
    }
}
