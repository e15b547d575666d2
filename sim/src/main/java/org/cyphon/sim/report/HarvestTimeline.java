package org.cyphon.sim.report;

import java.util.List;
import java.util.Locale;
import org.cyphon.sim.engine.PolicyResult;

/**
 * Harvest over time: per policy, job progress as a share of the idle desk CPU available, per 6
 * hours, against days. Policies often coincide (an under-loaded trace runs every job under every
 * preset), so each line has its own dash pattern and the lines are drawn widest first: a line
 * lying on another shows as a stripe inside it rather than hiding it.
 */
final class HarvestTimeline {
    static final int BUCKET_HOURS = 6;
    static final String[] COLORS = {
        "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"
    };
    static final String[] DASHES = {"none", "9 4", "3 3", "12 3 3 3", "6 6", "2 5", "14 6", "4 2 1 2"};
    private static final int WIDTH = 900;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 10;
    private static final int PLOT = 240;
    private static final int LEGEND_ITEM = 165;

    private HarvestTimeline() {}

    static double strokeWidth(int i, int count) {
        return 1.5 + 1.2 * (count - 1 - i);
    }

    static String render(List<PolicyResult> policies, long horizonMs) {
        int n = policies.size();
        double hours = horizonMs / 3_600_000.0;
        double plotWidth = WIDTH - LEFT - RIGHT;
        double pxPerHour = plotWidth / Math.max(hours, 1e-9);
        int perRow = Math.max(1, (WIDTH - LEFT) / LEGEND_ITEM);
        int legendRows = (n + perRow - 1) / perRow;
        double bottom = TOP + PLOT;
        int height = (int) bottom + 45 + legendRows * 18 + 5;
        StringBuilder s = new StringBuilder(Svg.open(WIDTH, height, "harvest over time per policy"));
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = bottom - PLOT * pct / 100.0;
            s.append(Svg.line(LEFT, y, LEFT + plotWidth, y, pct == 0 ? Svg.AXIS : Svg.GRID));
            s.append(Svg.text(LEFT - 6, y + 4, 10, "end", pct + "%"));
        }
        s.append(Svg.line(LEFT, TOP, LEFT, bottom, Svg.AXIS)).append('\n');
        s.append(Svg.verticalText(14, TOP + PLOT / 2.0, 11, "harvest (% of idle CPU)"));
        s.append(Svg.dayAxis(LEFT, bottom, pxPerHour, hours, "day"));
        for (int i = 0; i < n; i++) {
            PolicyResult p = policies.get(i);
            s.append("<polyline fill=\"none\" stroke-linejoin=\"round\" stroke=\"")
                    .append(COLORS[i % COLORS.length])
                    .append("\" stroke-width=\"")
                    .append(String.format(Locale.ROOT, "%.1f", strokeWidth(i, n)))
                    .append('"')
                    .append(dash(i))
                    .append(" points=\"")
                    .append(points(p, pxPerHour, bottom))
                    .append("\"/>\n");
        }
        double legendTop = bottom + 45;
        for (int i = 0; i < n; i++) {
            double x = LEFT + (i % perRow) * LEGEND_ITEM;
            double y = legendTop + (i / perRow) * 18;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
                    x,
                    y,
                    x + 32,
                    y,
                    COLORS[i % COLORS.length],
                    Math.min(4.5, strokeWidth(i, n)),
                    dash(i)));
            s.append(Svg.text(x + 38, y + 4, 12, "start", policies.get(i).name()));
        }
        return s.append("</svg>\n").toString();
    }

    private static String dash(int i) {
        String d = DASHES[i % DASHES.length];
        return d.equals("none") ? "" : " stroke-dasharray=\"" + d + "\"";
    }

    /** One point per 6-hour bucket, at the bucket's middle. */
    private static String points(PolicyResult p, double pxPerHour, double bottom) {
        double[] prog = p.hourlyHarvest();
        double[] avail = p.hourlyAvailable();
        StringBuilder pts = new StringBuilder();
        for (int from = 0; from < prog.length; from += BUCKET_HOURS) {
            int to = Math.min(prog.length, from + BUCKET_HOURS);
            double a = 0;
            double g = 0;
            for (int h = from; h < to; h++) {
                a += avail[h];
                g += prog[h];
            }
            double eff = a > 0 ? Math.min(1, g / a) : 0;
            double x = Math.min(LEFT + (from + to) / 2.0 * pxPerHour, WIDTH - RIGHT);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, bottom - PLOT * eff));
        }
        return pts.toString().strip();
    }
}
