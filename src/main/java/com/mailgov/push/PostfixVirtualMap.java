package com.mailgov.push;

import com.mailgov.directory.spec.ForwardSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Lines of a Postfix virtual alias map ({@code virtual_alias_maps}, then {@code postmap}):
 * forwards, and internal lists served as plain alias lists. A forward that keeps a copy lists
 * its source among the targets, which Postfix reads as "deliver here too".
 */
public final class PostfixVirtualMap {

    private PostfixVirtualMap() {
    }

    public static String forward(ForwardSpec forward) {
        List<String> targets = new ArrayList<>(forward.targets());
        if (Boolean.TRUE.equals(forward.keepCopy()) && !targets.contains(forward.source())) {
            targets.add(0, forward.source());
        }
        return forward.source() + " " + String.join(", ", targets);
    }

    public static String list(String address, Collection<String> members) {
        return address + " " + String.join(", ", members.stream().sorted().toList());
    }
}
