package com.mailgov.push.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The differences of each server's last drift check, one fingerprint per artifact. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DriftFingerprints {

    @Inject
    EntityManager em;

    /** Stores the differences of a check; returns those that are new or changed since the last one. */
    public List<Difference> replace(long serverId, List<Difference> differences) {
        Map<String, String> now = new HashMap<>();
        Map<String, Difference> byArtifact = new HashMap<>();
        for (Difference d : differences) {
            String artifact = d.type() + ":" + d.key();
            now.put(artifact, fingerprint(d));
            byArtifact.put(artifact, d);
        }
        return em.unwrap(Session.class).doReturningWork(c -> {
            Map<String, String> before = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT artifact, fingerprint FROM drift_fingerprint WHERE server_id = ?")) {
                s.setLong(1, serverId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        before.put(r.getString(1), r.getString(2));
                    }
                }
            }
            List<Difference> fresh = new ArrayList<>();
            List<String> artifacts = new ArrayList<>();
            List<String> prints = new ArrayList<>();
            now.forEach((artifact, print) -> {
                if (!print.equals(before.get(artifact))) {
                    fresh.add(byArtifact.get(artifact));
                    artifacts.add(artifact);
                    prints.add(print);
                }
            });
            List<String> gone = before.keySet().stream().filter(a -> !now.containsKey(a)).toList();
            if (!gone.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM drift_fingerprint WHERE server_id = ? AND artifact = ANY (?)")) {
                    s.setLong(1, serverId);
                    s.setArray(2, c.createArrayOf("text", gone.toArray()));
                    s.executeUpdate();
                }
            }
            if (!artifacts.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO drift_fingerprint (server_id, artifact, fingerprint)
                        SELECT ?, a, f FROM unnest(?::text[], ?::text[]) AS u(a, f)
                        ON CONFLICT (server_id, artifact) DO UPDATE SET fingerprint = excluded.fingerprint""")) {
                    s.setLong(1, serverId);
                    s.setArray(2, c.createArrayOf("text", artifacts.toArray()));
                    s.setArray(3, c.createArrayOf("text", prints.toArray()));
                    s.executeUpdate();
                }
            }
            fresh.sort(java.util.Comparator.comparing(Difference::type).thenComparing(Difference::key));
            return fresh;
        });
    }

    static String fingerprint(Difference d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{d.problem(), d.desired(), d.actual()}) {
                if (part == null) {
                    md.update((byte) '-');
                } else {
                    byte[] b = part.getBytes(StandardCharsets.UTF_8);
                    md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
                    md.update(b);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
