package com.mailgov.policy.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.json.Json;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fed facts of {@link LoopFacts} in PostgreSQL (table observed_fact_set, one row per reporter),
 * so that a restart does not forget what an import found until the import runs again.
 */
@ApplicationScoped
public class LoopFactStore {

    @Inject
    EntityManager em;

    @Inject
    Json json;

    /** Replaces the stored facts of {@code source}, in a transaction of its own. */
    public void save(String source, Collection<ObservedFact> facts) {
        ArrayNode array = json.mapper().createArrayNode();
        for (ObservedFact f : facts) {
            ObjectNode n = array.addObject();
            n.put("origin", f.origin());
            n.put("kind", f.spec().kind().name());
            n.set("spec", json.toTree(f.spec()));
            n.put("ignoresListHeaders", f.ignoresListHeaders());
        }
        String text = json.write(array);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO observed_fact_set (source, updated_at, facts) VALUES (:s, :t, CAST(:f AS jsonb))
                        ON CONFLICT (source) DO UPDATE SET updated_at = EXCLUDED.updated_at, facts = EXCLUDED.facts""")
                .setParameter("s", source).setParameter("t", Instant.now().truncatedTo(ChronoUnit.MICROS))
                .setParameter("f", text).executeUpdate());
    }

    public void delete(String source) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM observed_fact_set WHERE source = :s")
                .setParameter("s", source).executeUpdate());
    }

    /**
     * Every stored reporter's facts. In the caller's transaction when there is one: the first evaluation
     * after a start loads them while every other submission waits for it holding its pooled connection,
     * and a transaction of its own would need one more — with as many submissions as connections that
     * was a pool deadlock until the acquisition time-out, again and again (the reliability suite's first
     * minute).
     */
    public Map<String, List<ObservedFact>> loadAll() {
        List<?> rows = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                "SELECT source, CAST(facts AS text) FROM observed_fact_set ORDER BY source").getResultList());
        Map<String, List<ObservedFact>> out = new LinkedHashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            String source = (String) r[0];
            List<ObservedFact> facts = new ArrayList<>();
            for (JsonNode n : json.tree((String) r[1])) {
                ObjectKind kind = ObjectKind.valueOf(n.get("kind").asText());
                DirectorySpec spec = json.mapper().convertValue(n.get("spec"), DirectorySpec.typeOf(kind));
                facts.add(new ObservedFact(source, n.get("origin").asText(), spec, n.get("ignoresListHeaders").asBoolean()));
            }
            out.put(source, List.copyOf(facts));
        }
        return out;
    }
}
