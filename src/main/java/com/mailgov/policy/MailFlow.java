package com.mailgov.policy;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Mail flow over a directory view as a directed graph of addresses: forward source → target,
 * list → member, external list → subscribed mailbox. Searches are breadth-first with a visited
 * set (O(V+E) at worst) and return the shortest witness path.
 */
public final class MailFlow {

    /** Bounds a search on a pathological directory; far above any real alias chain or nesting. */
    static final int MAX_VISITED = 200_000;

    private MailFlow() {
    }

    /** Where mail to {@code address} goes next, with the kind of each hop. */
    public static List<Edge> successors(DirectoryView view, String address, Set<EdgeKind> kinds) {
        List<Edge> out = new ArrayList<>();
        if (kinds.contains(EdgeKind.FORWARD)) {
            view.get(ObjectKind.FORWARD, address).ifPresent(e -> {
                for (String t : ((ForwardSpec) e.spec()).targets()) {
                    if (!t.equals(address)) { // a → a keeps a copy: local delivery
                        out.add(new Edge(address, t, EdgeKind.FORWARD));
                    }
                }
            });
        }
        if (kinds.contains(EdgeKind.MEMBER)) {
            for (String member : view.members(address)) {
                out.add(new Edge(address, member, EdgeKind.MEMBER));
            }
        }
        if (kinds.contains(EdgeKind.SUBSCRIPTION)) {
            for (String mailbox : view.subscribersOf(address)) {
                out.add(new Edge(address, mailbox, EdgeKind.SUBSCRIPTION));
            }
        }
        return out;
    }

    /** Who delivers to {@code address}: forwards, lists it is a member of, external lists it is subscribed to. */
    public static List<Edge> predecessors(DirectoryView view, String address) {
        List<Edge> in = new ArrayList<>();
        for (String source : view.forwardSourcesTo(address)) {
            if (!source.equals(address)) {
                in.add(new Edge(source, address, EdgeKind.FORWARD));
            }
        }
        for (String list : view.listsContaining(address)) {
            in.add(new Edge(list, address, EdgeKind.MEMBER));
        }
        for (String list : view.subscriptionsOf(address)) {
            in.add(new Edge(list, address, EdgeKind.SUBSCRIPTION));
        }
        return in;
    }

    /**
     * The shortest path of edges from {@code from} to an address matching {@code target}, following
     * only the given kinds of hop; empty when there is none. {@code from} itself only counts once
     * a hop was made, so a path back to the start is a cycle.
     */
    public static Optional<List<Edge>> path(DirectoryView view, String from, Predicate<String> target, Set<EdgeKind> kinds) {
        Map<String, Edge> reachedBy = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty() && reachedBy.size() < MAX_VISITED) {
            String node = queue.poll();
            for (Edge edge : successors(view, node, kinds)) {
                if (reachedBy.containsKey(edge.to())) {
                    continue;
                }
                reachedBy.put(edge.to(), edge);
                if (target.test(edge.to())) {
                    return Optional.of(unwind(reachedBy, from, edge.to()));
                }
                if (!edge.to().equals(from)) {
                    queue.add(edge.to());
                }
            }
        }
        return Optional.empty();
    }

    /** Every address from which mail reaches {@code to}, with the edge it takes on the way (reverse search). */
    public static Map<String, Edge> upstream(DirectoryView view, String to) {
        Map<String, Edge> via = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(to);
        while (!queue.isEmpty() && via.size() < MAX_VISITED) {
            String node = queue.poll();
            for (Edge edge : predecessors(view, node)) {
                if (!edge.from().equals(to) && via.putIfAbsent(edge.from(), edge) == null) {
                    queue.add(edge.from());
                }
            }
        }
        return via;
    }

    /** The edges from {@code from} down to {@code to} out of an upstream map. */
    public static List<Edge> downPath(Map<String, Edge> upstream, String from, String to) {
        List<Edge> edges = new ArrayList<>();
        String at = from;
        while (!at.equals(to)) {
            Edge e = upstream.get(at);
            edges.add(e);
            at = e.to();
        }
        return edges;
    }

    /** Addresses along a path of edges: a → b → c. */
    public static List<String> addresses(List<Edge> edges) {
        List<String> out = new ArrayList<>();
        out.add(edges.get(0).from());
        for (Edge e : edges) {
            out.add(e.to());
        }
        return out;
    }

    private static List<Edge> unwind(Map<String, Edge> reachedBy, String from, String end) {
        List<Edge> edges = new ArrayList<>();
        String at = end;
        do {
            Edge e = reachedBy.get(at);
            edges.add(e);
            at = e.from();
        } while (!at.equals(from));
        Collections.reverse(edges);
        return edges;
    }
}
