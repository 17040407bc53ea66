package com.mailgov.guard.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds loops among hot edges: a cycle (A ⇄ B, or longer) all of whose edges are hot and at least
 * one of which carries automatic replies. A busy list (list → members hot, members → list by
 * people) or a newsletter has no automatic return edge, so it is not a loop. For each automatic
 * edge u → v the shortest way back v ⇝ u is searched (BFS, O(V+E) each; never all cycles).
 */
public final class CycleFinder {

    /** A hot edge with its window counts. */
    public record HotEdge(Edge edge, long messages, long automated, String sample) {
        boolean automatic(int percent) {
            return automated * 100 >= (long) percent * messages;
        }
    }

    /** A loop: nodes in order (the first repeats at the end implicitly) and its edges. */
    public record Cycle(List<String> nodes, List<HotEdge> edges) {
        /** Stable identity of the cycle whatever node it is entered at. */
        public String key() {
            List<String> sorted = new ArrayList<>(nodes);
            java.util.Collections.sort(sorted);
            return String.join(" ", sorted);
        }

        public long minMessages() {
            return edges.stream().mapToLong(HotEdge::messages).min().orElse(0);
        }
    }

    private CycleFinder() {
    }

    public static List<Cycle> find(List<HotEdge> hot, int automatedPercent, int maxLength) {
        Map<String, List<HotEdge>> out = new HashMap<>();
        for (HotEdge e : hot) {
            out.computeIfAbsent(e.edge().src(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Cycle> cycles = new LinkedHashMap<>();
        for (HotEdge start : hot) {
            if (!start.automatic(automatedPercent)) {
                continue;
            }
            List<HotEdge> back = shortestPath(out, start.edge().dst(), start.edge().src(), maxLength - 1);
            if (back == null) {
                continue;
            }
            List<HotEdge> edges = new ArrayList<>();
            edges.add(start);
            edges.addAll(back);
            List<String> nodes = new ArrayList<>();
            edges.forEach(e -> nodes.add(e.edge().src()));
            Cycle c = new Cycle(List.copyOf(nodes), List.copyOf(edges));
            cycles.putIfAbsent(c.key(), c);
        }
        return List.copyOf(cycles.values());
    }

    private static List<HotEdge> shortestPath(Map<String, List<HotEdge>> out, String from, String to, int maxEdges) {
        if (from.equals(to)) {
            return List.of();
        }
        Map<String, HotEdge> via = new HashMap<>();
        Set<String> seen = new HashSet<>(Set.of(from));
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        Map<String, Integer> depth = new HashMap<>(Map.of(from, 0));
        while (!queue.isEmpty()) {
            String n = queue.removeFirst();
            int d = depth.get(n);
            if (d >= maxEdges) {
                continue;
            }
            for (HotEdge e : out.getOrDefault(n, List.of())) {
                String m = e.edge().dst();
                if (!seen.add(m)) {
                    continue;
                }
                via.put(m, e);
                depth.put(m, d + 1);
                if (m.equals(to)) {
                    List<HotEdge> path = new ArrayList<>();
                    for (String x = to; !x.equals(from); x = via.get(x).edge().src()) {
                        path.add(0, via.get(x));
                    }
                    return path;
                }
                queue.addLast(m);
            }
        }
        return null;
    }
}
