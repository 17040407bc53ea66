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
 * @param problem MISSING (approved, not on the server), UNEXPECTED (on the server, not approved),
 *                DIFFERENT (both, content differs), UNMANAGED (a vacation the user runs outside
 *                mailgov; reported, never removed by mailgov)
 */
public record Difference(ArtifactType type, String key, String problem, String desired, String actual) {

    public static List<Difference> between(Map<ArtifactKey, String> desired, Map<ArtifactKey, String> actual) {
        Set<ArtifactKey> keys = new TreeSet<>(desired.keySet());
        keys.addAll(actual.keySet());
        List<Difference> out = new ArrayList<>();
        for (ArtifactKey k : keys) {
            String want = desired.get(k);
            String have = actual.get(k);
            if (k.type() == ArtifactType.UNMANAGED_VACATION) {
                out.add(new Difference(k.type(), k.key(), "UNMANAGED", null, have));
            } else if (have == null) {
                out.add(new Difference(k.type(), k.key(), "MISSING", want, null));
            } else if (want == null) {
                out.add(new Difference(k.type(), k.key(), "UNEXPECTED", null, have));
            } else if (!want.equals(have)) {
                out.add(new Difference(k.type(), k.key(), "DIFFERENT", want, have));
            }
        }
        return out;
    }

    /** What to apply to remove the differences mailgov owns (content null = remove). */
    public static Map<ArtifactKey, String> fixes(List<Difference> differences) {
        Map<ArtifactKey, String> out = new TreeMap<>();
        for (Difference d : differences) {
            if (!"UNMANAGED".equals(d.problem())) {
                out.put(new ArtifactKey(d.type(), d.key()), d.desired());
            }
        }
        return out;
    }
}
