package com.mailgov.policy;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Forward/alias cycles of any length ({@code a → b → c → a}). Postfix expands a virtual alias
 * recursively, so such a cycle makes mail circle until the hop limit bounces it. {@code a → a}
 * is not a cycle: Postfix delivers to {@code a} itself (keep a copy).
 */
@ApplicationScoped
public class ForwardCycleRule implements PolicyRule {

    public static final String ID = "forward-cycle";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Severity defaultSeverity() {
        return Severity.BLOCK;
    }

    @Override
    public String description() {
        return "Forwards/aliases that lead back to their own source";
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, Severity severity) {
        List<Finding> findings = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        context.added(ObjectKind.FORWARD, ForwardSpec.class).forEach(forward -> {
            if (reported.contains(forward.source())) {
                return;
            }
            findCycle(context.proposed(), forward.source()).ifPresent(cycle -> {
                reported.addAll(cycle);
                String path = String.join(" → ", cycle);
                findings.add(new Finding(ID, severity,
                        "Forwarding loop: " + path + ". Mail to " + forward.source()
                                + " would circle between these addresses until the server bounces it.",
                        "転送ループ: " + path + "。" + forward.source() + " 宛てのメールがこれらのアドレスの間を循環し、最終的にサーバーで不達になります。",
                        cycle,
                        "Remove one forward of the cycle, or deliver locally (keepCopy) instead of forwarding back.",
                        "循環している転送のいずれかを削除するか、転送し返す代わりにローカル配送 (keepCopy) にしてください。",
                        null));
            });
        });
        return findings;
    }

    /** Shortest-first search from the source's targets back to the source; O(V+E) over forwards. */
    static Optional<List<String>> findCycle(DirectoryView view, String source) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String target : targets(view, source)) {
            if (!parent.containsKey(target)) {
                parent.put(target, source);
                queue.add(target);
            }
        }
        while (!queue.isEmpty()) {
            String node = queue.poll();
            if (node.equals(source)) {
                List<String> cycle = new ArrayList<>();
                String at = source;
                do {
                    cycle.add(at);
                    at = parent.get(at);
                } while (!at.equals(source));
                cycle.add(source);
                Collections.reverse(cycle);
                return Optional.of(cycle);
            }
            for (String next : targets(view, node)) {
                if (!parent.containsKey(next)) {
                    parent.put(next, node);
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }

    /** Where a forward sends mail on, leaving out the local copy ({@code a → a}). */
    private static List<String> targets(DirectoryView view, String address) {
        return view.get(ObjectKind.FORWARD, address)
                .map(e -> ((ForwardSpec) e.spec()).targets().stream().filter(t -> !t.equals(address)).toList())
                .orElse(List.of());
    }
}
