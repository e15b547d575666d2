package org.cyphon.sim.report;

import java.util.List;
import java.util.Locale;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimResult;

/**
 * The {@code --report} page: one self-contained HTML file (inline CSS and SVG, no scripts, no
 * downloads) with the table, harvest over time per policy, the policies side by side, and a desk x
 * hour heatmap of owner presence and harvest.
 */
public final class HtmlReport {
    private static final String[] COLORS = {
        "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"
    };

    private HtmlReport() {}

    public static String render(SimResult r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append(
                        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cyphon simulate</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append(
                        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}")
                .append(
                        "pre{background:#f8f8f8;padding:1em;white-space:pre-wrap}svg{background:#fff;border:1px solid #ddd}")
                .append("</style></head><body>\n<h1>cyphon simulate</h1>\n");
        b.append("<pre>").append(esc(TableReport.render(r))).append("</pre>\n");
        b.append("<h2>Policies side by side</h2>\n").append(bars(r));
        b.append(
                        "<h2>Harvest over time</h2>\n<p>Job progress as a share of the idle desk CPU available, per 6 hours.</p>\n")
                .append(timeline(r));
        PolicyResult shown = pick(r.policies());
        if (shown != null && shown.heatPresent().length > 0) {
            b.append("<h2>Desks x hours (policy ")
                    .append(esc(shown.name()))
                    .append(")</h2>\n")
                    .append("<p>First ")
                    .append(shown.heatPresent().length)
                    .append(" desks; each column one hour. ")
                    .append(
                            "Top: share of the hour the owner was present (dark = present). Bottom: job progress as a share of the cores.</p>\n")
                    .append(heatmap(shown.heatPresent(), "#b2182b"))
                    .append("<br>\n")
                    .append(heatmap(shown.heatHarvest(), "#2166ac"));
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    /** The default preset when it was simulated, else the first. */
    private static PolicyResult pick(List<PolicyResult> ps) {
        for (PolicyResult p : ps) if (p.name().equals("desktop")) return p;
        return ps.isEmpty() ? null : ps.getFirst();
    }

    private static String bars(SimResult r) {
        int n = r.policies().size();
        int w = 720;
        int rowH = 26;
        int h = 40 + n * rowH * 2 + 20;
        double maxI = 1e-9;
        for (PolicyResult p : r.policies()) maxI = Math.max(maxI, p.ownerInterferenceCpuSeconds());
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                w,
                h,
                w,
                h));
        s.append(
                "<text x=\"150\" y=\"20\" font-size=\"12\">green: harvest efficiency (0-100%); red: owner interference (relative to the largest, CPU-h shown)</text>\n");
        int y = 40;
        for (PolicyResult p : r.policies()) {
            double hw = 500 * Math.max(0, Math.min(1, p.harvestEfficiency()));
            double iw = 500 * p.ownerInterferenceCpuSeconds() / maxI;
            s.append(String.format(
                    Locale.ROOT, "<text x=\"5\" y=\"%d\" font-size=\"13\">%s</text>\n", y + 16, esc(p.name())));
            s.append(String.format(
                    Locale.ROOT, "<rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"#1b9e77\"/>", y, hw));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%.1f%%</text>\n",
                    155 + hw,
                    y + 15,
                    100 * p.harvestEfficiency()));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"#d6604d\"/>",
                    y + rowH,
                    iw));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%.2f CPU-h, %d visible</text>\n",
                    155 + iw,
                    y + rowH + 15,
                    p.ownerInterferenceCpuSeconds() / 3600,
                    p.ownerVisibleEvents()));
            y += rowH * 2;
        }
        return s.append("</svg>\n").toString();
    }

    private static String timeline(SimResult r) {
        int w = 900;
        int h = 300;
        int left = 50;
        int bottom = 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                w,
                h + 20,
                w,
                h + 20));
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = h - bottom - (h - bottom - 10) * pct / 100.0;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"5\" y=\"%.1f\" font-size=\"11\">%d%%</text>\n",
                    left,
                    y,
                    w - 10,
                    y,
                    y + 4,
                    pct));
        }
        int i = 0;
        for (PolicyResult p : r.policies()) {
            double[] prog = p.hourlyHarvest();
            double[] avail = p.hourlyAvailable();
            int buckets = (prog.length + 5) / 6;
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < buckets; k++) {
                double a = 0;
                double g = 0;
                for (int x = k * 6; x < Math.min(prog.length, k * 6 + 6); x++) {
                    a += avail[x];
                    g += prog[x];
                }
                double eff = a > 0 ? Math.min(1, g / a) : 0;
                double x = left + (w - left - 10) * (buckets == 1 ? 0 : k / (double) (buckets - 1));
                double y = h - bottom - (h - bottom - 10) * eff;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String c = COLORS[i % COLORS.length];
            s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(c)
                    .append("\" points=\"")
                    .append(pts)
                    .append("\"/>\n");
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                    left + i * 140,
                    h + 2,
                    c,
                    left + 14 + i * 140,
                    h + 11,
                    esc(p.name())));
            i++;
        }
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\">time (days 0-%.0f)</text>\n",
                w / 2,
                h - 8,
                r.horizonMs() / 86_400_000.0));
        return s.append("</svg>\n").toString();
    }

    private static String heatmap(float[][] cells, String color) {
        int rows = cells.length;
        int cols = rows == 0 ? 0 : cells[0].length;
        int per = Math.max(1, (cols + 599) / 600);
        int shownCols = (cols + per - 1) / per;
        int cw = Math.max(1, Math.min(6, 900 / Math.max(1, shownCols)));
        int ch = 8;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                shownCols * cw + 2,
                rows * ch + 2));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < shownCols; c++) {
                double v = 0;
                int n = 0;
                for (int k = c * per; k < Math.min(cols, (c + 1) * per); k++) {
                    v += cells[r][k];
                    n++;
                }
                v = n == 0 ? 0 : Math.min(1, v / n);
                if (v < 0.01) continue;
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"/>",
                        1 + c * cw,
                        1 + r * ch,
                        cw,
                        ch,
                        color,
                        v));
            }
            s.append('\n');
        }
        return s.append("</svg>\n").toString();
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
