package com.mailgov.policy;

import com.mailgov.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Versions of the policy in PostgreSQL. The current one is kept compiled in memory and reloaded
 * when another version appears (on this or another replica).
 */
@ApplicationScoped
public class PolicyStore {

    private static final long SAVE_LOCK = 0x6d61696c_706f6c69L; // "mailpoli"

    @Inject
    EntityManager em;

    @Inject
    Json json;

    private volatile Policy cached;

    @Transactional
    public Policy current() {
        // policy_version is written by SQL only: asking for the latest version neither flushes nor dirty-checks the caller's session
        long latest = ((Number) em.createNativeQuery("SELECT max(version) FROM policy_version")
                .unwrap(org.hibernate.query.NativeQuery.class).addSynchronizedQuerySpace("policy_version")
                .setHibernateFlushMode(org.hibernate.FlushMode.MANUAL)
                .getSingleResult()).longValue();
        Policy policy = cached;
        if (policy == null || policy.version() != latest) {
            policy = load(latest).orElseThrow();
            cached = policy;
        }
        return policy;
    }

    @Transactional
    public Optional<Policy> load(long version) {
        Object[] row = (Object[]) em.createNativeQuery(
                        "SELECT CAST(document AS text), created_by, created_at FROM policy_version WHERE version = :v")
                .setParameter("v", version).getResultStream().findFirst().orElse(null);
        if (row == null) {
            return Optional.empty();
        }
        PolicyDocument document = read((String) row[0]);
        List<CustomRules.Compiled> compiled = new ArrayList<>();
        for (PolicyDocument.CustomRuleSpec spec : document.customRulesOrEmpty()) {
            // Saved rules compiled when they were saved; a failure here means the CEL library changed.
            if (CustomRules.compile(spec) instanceof CustomRules.Compiled c) {
                compiled.add(c);
            }
        }
        Instant at = row[2] instanceof Instant i ? i : ((java.time.OffsetDateTime) row[2]).toInstant();
        return Optional.of(new Policy(version, document, List.copyOf(compiled), (String) row[1], at));
    }

    /**
     * Stores the document as the next version; versions never change once written. With an
     * {@code expectedVersion}, a policy saved by someone else meanwhile is a 409, not overwritten.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long save(PolicyDocument document, String actor, Long expectedVersion) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(:k)").setParameter("k", SAVE_LOCK).getSingleResult();
        long latest = ((Number) em.createNativeQuery("SELECT max(version) FROM policy_version").getSingleResult()).longValue();
        if (expectedVersion != null && expectedVersion != latest) {
            throw new com.mailgov.web.ApiException(com.mailgov.web.ProblemType.CONFLICT,
                    "The policy is now version " + latest + ", not " + expectedVersion
                            + ": someone saved it meanwhile. Reload it and make the change again",
                    java.util.List.of(), java.util.Map.of("currentVersion", latest, "expectedVersion", expectedVersion));
        }
        long next = latest + 1;
        em.createNativeQuery("""
                        INSERT INTO policy_version (version, document, created_by, created_at)
                        VALUES (:v, CAST(:doc AS jsonb), :by, :at)""")
                .setParameter("v", next).setParameter("doc", write(document)).setParameter("by", actor)
                .setParameter("at", Instant.now().truncatedTo(ChronoUnit.MICROS))
                .executeUpdate();
        return next;
    }

    private PolicyDocument read(String text) {
        return json.read(text, PolicyDocument.class);
    }

    private String write(PolicyDocument document) {
        return json.write(document);
    }
}
