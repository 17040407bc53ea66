package com.mailgov.push.pipeline;

import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One artifact where a server is not what was approved.
 *
 * @param problem MISSING (approved, not on the server), DIFFERENT (both, content differs),
 *                UNEXPECTED (on the server, managed by mailgov, no longer approved: a reconcile
 *                removes it), UNMANAGED (on the server, not mailgov's: reported, never changed or
 *                removed — removing it takes an import and an approved DELETE)
 */
public record Difference(ArtifactType type, String key, String problem, String desired, String actual) {

    public static final String MISSING = "MISSING";
    public static final String DIFFERENT = "DIFFERENT";
    public static final String UNEXPECTED = "UNEXPECTED";
    public static final String UNMANAGED = "UNMANAGED";

    /**
     * @param managed what mailgov manages on the server (the ledger); artifacts found on the server
     *                that are neither approved nor managed are UNMANAGED
     */
    public static List<Difference> between(Map<ArtifactKey, String> desired, Map<ArtifactKey, String> actual,
                                           Set<ArtifactKey> managed) {
        Set<ArtifactKey> keys = new TreeSet<>(desired.keySet());
        keys.addAll(actual.keySet());
        List<Difference> out = new ArrayList<>();
        for (ArtifactKey k : keys) {
            String want = desired.get(k);
            String have = actual.get(k);
            if (k.type().readOnly()) {
                if (have != null) {
                    out.add(new Difference(k.type(), k.key(), UNMANAGED, null, have));
                }
            } else if (have == null) {
                out.add(new Difference(k.type(), k.key(), MISSING, want, null));
            } else if (want == null) {
                out.add(new Difference(k.type(), k.key(), managed.contains(k) ? UNEXPECTED : UNMANAGED, null, have));
            } else if (!want.equals(have)) {
                out.add(new Difference(k.type(), k.key(), DIFFERENT, want, have));
            }
        }
        return out;
    }

    /** Whether a reconcile would write this difference (create, update or remove). */
    public boolean writable() {
        return !UNMANAGED.equals(problem);
    }

    /** CREATE, UPDATE or DELETE for a writable difference. */
    public String change() {
        return switch (problem) {
            case MISSING -> "CREATE";
            case DIFFERENT -> "UPDATE";
            case UNEXPECTED -> "DELETE";
            default -> "NONE";
        };
    }

    /** What to apply to remove the differences mailgov owns (content null = remove); UNMANAGED ones are left alone. */
    public static Map<ArtifactKey, String> fixes(List<Difference> differences) {
        Map<ArtifactKey, String> out = new TreeMap<>();
        for (Difference d : differences) {
            if (d.writable()) {
                out.put(new ArtifactKey(d.type(), d.key()), d.desired());
            }
        }
        return out;
    }
}
