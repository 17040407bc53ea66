package com.mailgov.ui;

import com.mailgov.policy.Finding;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The geometry of a finding's witness path, drawn as SVG by the page: addresses on a circle, each
 * hop a curved arrow labelled with its kind. Hops that close the cycle (the path returns to its
 * start) are marked so the page can highlight them. Curves bend to one side, so a hop and its
 * way back (a → b, b → a) never overlap.
 */
@TemplateData
public record LoopDiagram(int width, int height, List<Node> nodes, List<Arrow> arrows, boolean cycle) {

    static final int WIDTH = 640;
    private static final int NODE_HALF_WIDTH = 100;
    private static final double BEND = 0.22;

    @TemplateData
    public record Node(String address, double x, double y, boolean onCycle) {
        public double boxX() {
            return x - NODE_HALF_WIDTH;
        }

        public double boxY() {
            return y - 16;
        }

        public int boxWidth() {
            return 2 * NODE_HALF_WIDTH;
        }

        public double textY() {
            return y + 4;
        }

        /** Long addresses are shortened on the drawing; the full one is in the node's title. */
        public String label() {
            return address.length() > 28 ? address.substring(0, 27) + "…" : address;
        }
    }

    /** One hop: an SVG path ({@code M … Q …}), where its label sits, the hop kind and whether it closes the cycle. */
    @TemplateData
    public record Arrow(String from, String to, String kind, String path, double labelX, double labelY, boolean onCycle) {
        public double labelBoxX() {
            return labelX - 40;
        }

        public double labelBoxY() {
            return labelY - 11;
        }

        public double textY() {
            return labelY + 2;
        }

        public String kindCss() {
            return kind.toLowerCase(Locale.ROOT);
        }
    }

    /** Null when the finding has no edges to draw. */
    public static LoopDiagram of(Finding finding) {
        if (finding.edges() == null || finding.edges().isEmpty()) {
            return null;
        }
        List<String> path = finding.path() == null ? List.of() : finding.path();
        boolean cycle = path.size() > 1 && path.get(0).equals(path.get(path.size() - 1));

        Map<String, double[]> places = new LinkedHashMap<>();
        for (Finding.Edge e : finding.edges()) {
            places.putIfAbsent(e.from(), null);
            places.putIfAbsent(e.to(), null);
        }
        int n = places.size();
        double cx = WIDTH / 2.0;
        double radius = n <= 1 ? 0 : n == 2 ? 150 : Math.min(230, 90 + 30 * n);
        double cy = 60 + (n == 2 ? 40 : radius);
        int height = (int) Math.round(n == 2 ? 200 : 2 * cy);
        // With many nodes, the circle is wider than tall: squeeze x so boxes stay inside.
        double rx = Math.min(radius, cx - NODE_HALF_WIDTH - 4);
        int i = 0;
        for (String address : places.keySet()) {
            // Start at the top for cycles of three or more; two nodes sit side by side.
            double angle = n == 2 ? Math.PI * i : -Math.PI / 2 + 2 * Math.PI * i / n;
            if (n == 2) {
                // Side by side, as far apart as the width allows, so both arrows and labels have room.
                double offset = cx - NODE_HALF_WIDTH - 10;
                places.put(address, new double[]{cx + (i == 0 ? -offset : offset), cy});
            } else {
                places.put(address, new double[]{cx + rx * Math.cos(angle), cy + radius * Math.sin(angle)});
            }
            i++;
        }

        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, double[]> p : places.entrySet()) {
            nodes.add(new Node(p.getKey(), round(p.getValue()[0]), round(p.getValue()[1]), cycle));
        }
        List<Arrow> arrows = new ArrayList<>();
        for (Finding.Edge e : finding.edges()) {
            double[] a = places.get(e.from());
            double[] b = places.get(e.to());
            arrows.add(arrow(e, a, b, cycle));
        }
        return new LoopDiagram(WIDTH, height, nodes, arrows, cycle);
    }

    private static Arrow arrow(Finding.Edge e, double[] a, double[] b, boolean cycle) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double length = Math.max(1, Math.hypot(dx, dy));
        // Leave the boxes: start and end a little inside the line towards the other node.
        double trimX = Math.min(NODE_HALF_WIDTH, Math.abs(dx) / 2 - 10) * Math.signum(dx);
        double trimY = 18 * Math.signum(dy) * Math.min(1, Math.abs(dy) / length * 3);
        double x1 = a[0] + (Math.abs(dx) > Math.abs(dy) ? trimX : 0);
        double y1 = a[1] + (Math.abs(dx) > Math.abs(dy) ? 0 : trimY);
        double x2 = b[0] - (Math.abs(dx) > Math.abs(dy) ? trimX : 0);
        double y2 = b[1] - (Math.abs(dx) > Math.abs(dy) ? 0 : trimY);
        // Control point: the midpoint pushed sideways (to the left of the direction of travel).
        double mx = (x1 + x2) / 2 + dy / length * BEND * length;
        double my = (y1 + y2) / 2 - dx / length * BEND * length;
        String path = "M " + round(x1) + " " + round(y1) + " Q " + round(mx) + " " + round(my) + " " + round(x2) + " " + round(y2);
        // The label sits on the curve's midpoint (half way between the chord and the control point).
        double lx = ((x1 + x2) / 2 + mx) / 2;
        double ly = ((y1 + y2) / 2 + my) / 2;
        return new Arrow(e.from(), e.to(), e.kind().name(), path, round(lx), round(ly), cycle);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
