package com.mailgov.push;

import com.mailgov.directory.spec.ForwardSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Right-hand sides of Postfix virtual alias entries ({@code virtual_alias_maps}): forwards, and
 * internal lists served as plain alias lists. A forward that keeps a copy lists its source among
 * the targets, which Postfix reads as "deliver here too".
 */
public final class PostfixVirtualMap {

    private PostfixVirtualMap() {
    }

    public static String targets(ForwardSpec forward) {
        List<String> targets = new ArrayList<>(forward.targets());
        if (Boolean.TRUE.equals(forward.keepCopy()) && !targets.contains(forward.source())) {
            targets.add(0, forward.source());
        }
        return String.join(", ", targets);
    }

    public static String listTargets(Collection<String> members) {
        return String.join(", ", members.stream().sorted().toList());
    }

    /** One line of a map file. */
    public static String line(String source, String targets) {
        return source + " " + targets;
    }
}
