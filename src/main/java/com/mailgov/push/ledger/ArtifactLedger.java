package com.mailgov.push.ledger;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What mailgov manages on each server: the artifacts it wrote (PUSHED) or that an approved import
 * took over (ADOPTED). A push or reconcile may create, change or remove only what is in the approved
 * directory or in this ledger; everything else on a server is UNMANAGED — reported, never removed.
 *
 * <p>The import calls {@link #adopt(long, Collection)} in the transaction that approves an import,
 * so the adopted artifacts become mailgov's exactly when the directory holds them.
 */
@ApplicationScoped
@Transactional
public class ArtifactLedger {

    public enum Origin { PUSHED, ADOPTED }

    private static final int BATCH = 5000;

    @Inject
    EntityManager em;

    /** Marks artifacts that exist on the server as mailgov's (an approved import); returns how many were new. */
    public int adopt(long serverId, Collection<ArtifactKey> keys) {
        return record(serverId, keys, Origin.ADOPTED);
    }

    /** Records artifacts as managed (existing entries keep their origin); returns how many were new. */
    public int record(long serverId, Collection<ArtifactKey> keys, Origin origin) {
        if (keys.isEmpty()) {
            return 0;
        }
        return em.unwrap(Session.class).doReturningWork(c -> {
            int added = 0;
            List<ArtifactKey> all = new ArrayList<>(keys);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO managed_artifact (server_id, artifact_type, artifact_key, origin)
                    SELECT ?, t, k, ? FROM unnest(?::text[], ?::text[]) AS u(t, k)
                    ON CONFLICT DO NOTHING""")) {
                for (int i = 0; i < all.size(); i += BATCH) {
                    List<ArtifactKey> part = all.subList(i, Math.min(all.size(), i + BATCH));
                    s.setLong(1, serverId);
                    s.setString(2, origin.name());
                    s.setArray(3, c.createArrayOf("text", part.stream().map(k -> k.type().name()).toArray()));
                    s.setArray(4, c.createArrayOf("text", part.stream().map(ArtifactKey::key).toArray()));
                    added += s.executeUpdate();
                }
            }
            return added;
        });
    }

    /** Forgets artifacts mailgov removed from the server. */
    public void release(long serverId, Collection<ArtifactKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            List<ArtifactKey> all = new ArrayList<>(keys);
            try (PreparedStatement s = c.prepareStatement("""
                    DELETE FROM managed_artifact m USING unnest(?::text[], ?::text[]) AS u(t, k)
                    WHERE m.server_id = ? AND m.artifact_type = u.t AND m.artifact_key = u.k""")) {
                for (int i = 0; i < all.size(); i += BATCH) {
                    List<ArtifactKey> part = all.subList(i, Math.min(all.size(), i + BATCH));
                    s.setArray(1, c.createArrayOf("text", part.stream().map(k -> k.type().name()).toArray()));
                    s.setArray(2, c.createArrayOf("text", part.stream().map(ArtifactKey::key).toArray()));
                    s.setLong(3, serverId);
                    s.executeUpdate();
                }
            }
        });
    }

    /** The managed artifacts of a server; {@code among} null = all of them, else only those keys. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Set<ArtifactKey> managed(long serverId, Set<ArtifactKey> among) {
        Set<ArtifactKey> out = new TreeSet<>();
        if (among != null && among.isEmpty()) {
            return out;
        }
        em.unwrap(Session.class).doWork(c -> {
            String sql = among == null
                    ? "SELECT artifact_type, artifact_key FROM managed_artifact WHERE server_id = ?"
                    : "SELECT m.artifact_type, m.artifact_key FROM managed_artifact m "
                      + "JOIN unnest(?::text[], ?::text[]) AS u(t, k) ON m.artifact_type = u.t AND m.artifact_key = u.k "
                      + "WHERE m.server_id = ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (among == null) {
                    s.setLong(1, serverId);
                } else {
                    Array types = c.createArrayOf("text", among.stream().map(k -> k.type().name()).toArray());
                    Array names = c.createArrayOf("text", among.stream().map(ArtifactKey::key).toArray());
                    s.setArray(1, types);
                    s.setArray(2, names);
                    s.setLong(3, serverId);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        try {
                            out.add(new ArtifactKey(ArtifactType.parse(r.getString(1)), r.getString(2)));
                        } catch (IllegalArgumentException retiredType) {
                            // a type an older version wrote: nothing this version can act on
                        }
                    }
                }
            }
        });
        return out;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(long serverId) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM managed_artifact WHERE server_id = :s")
                .setParameter("s", serverId).getSingleResult()).longValue();
    }
}
