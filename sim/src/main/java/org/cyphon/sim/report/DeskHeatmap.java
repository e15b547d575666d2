package org.cyphon.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Desks x hours: one row per desk (named on the left), one column per hour or group of hours
 * (days along the bottom), with a legend. Two maps: the owner (present, away or off: an hour that
 * mixes them blends their colours in proportion) and the harvest (job progress as a share of the
 * desk's cores while it was on; off time grey as in the owner map).
 */
final class DeskHeatmap {
    static final int[] PRESENT = {0xb2, 0x18, 0x2b};
    static final int[] AWAY = {0xff, 0xff, 0xff};
    static final int[] OFF = {0x96, 0x96, 0x96};
    static final int[] HARVEST = {0x21, 0x66, 0xac};
    private static final int MAX_COLUMNS = 600;
    private static final int ROW = 8;
    private static final int NAME_SIZE = 9;
    private static final int TOP = 6;

    private DeskHeatmap() {}

    /** The owner map: present / away / off per desk and hour. */
    static String presence(List<String> desks, float[][] present, float[][] off, long horizonMs) {
        int rows = present.length;
        int cols = rows == 0 ? 0 : present[0].length;
        int[][][] color = new int[rows][cols][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double p = clamp(present[r][c]);
                double o = clamp(Math.min(off[r][c], 1 - p));
                color[r][c] = blend(new int[][] {PRESENT, OFF, AWAY}, new double[] {p, o, 1 - p - o});
            }
        }
        List<Swatch> legend = List.of(
                new Swatch(hex(PRESENT), "owner present"),
                new Swatch(hex(AWAY), "owner away (desk on)"),
                new Swatch(hex(OFF), "desk off"));
        return render(
                desks,
                color,
                horizonMs,
                "owner presence per desk and hour",
                legend,
                "an hour that mixes them blends their colours in proportion");
    }

    /** The harvest map: job progress as a share of the cores while on, and off time. */
    static String harvest(List<String> desks, float[][] harvest, float[][] off, long horizonMs) {
        int rows = harvest.length;
        int cols = rows == 0 ? 0 : harvest[0].length;
        int[][][] color = new int[rows][cols][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double o = clamp(off[r][c]);
                double on = 1 - o;
                double share = on > 0 ? clamp(harvest[r][c] / on) : 0;
                int[] whileOn = blend(new int[][] {HARVEST, AWAY}, new double[] {share, 1 - share});
                color[r][c] = blend(new int[][] {whileOn, OFF}, new double[] {on, o});
            }
        }
        List<Swatch> legend = new ArrayList<>();
        for (int pct = 0; pct <= 100; pct += 25) {
            double f = pct / 100.0;
            legend.add(new Swatch(hex(blend(new int[][] {HARVEST, AWAY}, new double[] {f, 1 - f})), pct + "%"));
        }
        legend.add(new Swatch(hex(OFF), "desk off"));
        return render(
                desks,
                color,
                horizonMs,
                "job progress per desk and hour",
                legend,
                "of the desk's cores busy with job work while it was on");
    }

    /** One legend entry: a colour and what it means. */
    record Swatch(String fill, String label) {}

    private static String render(
            List<String> desks, int[][][] color, long horizonMs, String label, List<Swatch> legend, String note) {
        int rows = color.length;
        int cols = rows == 0 ? 0 : color[0].length;
        int per = Math.max(1, (cols + MAX_COLUMNS - 1) / MAX_COLUMNS);
        int shown = (cols + per - 1) / per;
        int cw = Math.max(1, Math.min(6, 900 / Math.max(1, shown)));
        double nameWidth = 0;
        for (int r = 0; r < rows; r++) nameWidth = Math.max(nameWidth, Svg.textWidth(name(desks, r), NAME_SIZE));
        double left = 24 + Math.ceil(nameWidth) + 6;
        double hours = horizonMs / 3_600_000.0;
        double pxPerHour = (double) cw / per;
        double gridWidth = shown * cw;
        double bottom = TOP + rows * ROW;
        double legendWidth = 0;
        for (Swatch sw : legend) legendWidth += 18 + Svg.textWidth(sw.label(), 11) + 14;
        double noteWidth = Svg.textWidth(note, 11);
        int width = (int) Math.ceil(Math.max(left + gridWidth + 10, Math.max(legendWidth, noteWidth) + left + 10));
        int height = (int) bottom + 40 + 2 * 18;
        StringBuilder s = new StringBuilder(Svg.open(width, height, label));
        // Crisp edges: anti-aliased neighbouring cells would show hairline seams between them.
        s.append("<g shape-rendering=\"crispEdges\">\n");
        s.append(Svg.rect(left, TOP, gridWidth, rows * ROW, hex(AWAY))).append('\n');
        for (int r = 0; r < rows; r++) {
            // Runs of one colour are one rectangle; the background already shows the "away" colour.
            String run = null;
            int runStart = 0;
            for (int c = 0; c <= shown; c++) {
                String fill = c < shown ? hex(average(color[r], c * per, Math.min(cols, (c + 1) * per))) : null;
                if (fill != null && fill.equals(run)) continue;
                if (run != null && !run.equals(hex(AWAY))) {
                    s.append(Svg.rect(left + runStart * cw, TOP + r * ROW, (c - runStart) * cw, ROW, run));
                }
                run = fill;
                runStart = c;
            }
            if (r % 5 == 0 || r == rows - 1) {
                s.append(Svg.line(left - 3, TOP + r * ROW + ROW / 2.0, left, TOP + r * ROW + ROW / 2.0, Svg.AXIS));
                s.append(Svg.text(left - 5, TOP + r * ROW + ROW - 1, NAME_SIZE, "end", name(desks, r)));
            } else {
                s.append('\n');
            }
        }
        s.append("</g>\n");
        s.append(String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"%s\"/>\n",
                left,
                TOP,
                gridWidth,
                rows * ROW,
                Svg.AXIS));
        s.append(Svg.verticalText(14, TOP + rows * ROW / 2.0, 11, "desk"));
        s.append(Svg.dayAxis(left, bottom, pxPerHour, hours, "day"));
        double x = left;
        double y = bottom + 40;
        for (Swatch sw : legend) {
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"%s\"/>",
                    x,
                    y,
                    sw.fill(),
                    Svg.AXIS));
            s.append(Svg.text(x + 18, y + 10, 11, "start", sw.label()));
            x += 18 + Svg.textWidth(sw.label(), 11) + 14;
        }
        s.append(Svg.text(left, y + 28, 11, "start", note));
        return s.append("</svg>\n").toString();
    }

    private static String name(List<String> desks, int row) {
        return row < desks.size() ? desks.get(row) : "desk " + (row + 1);
    }

    private static int[] average(int[][] row, int from, int to) {
        double[] sum = new double[3];
        for (int c = from; c < to; c++) for (int k = 0; k < 3; k++) sum[k] += row[c][k];
        int n = Math.max(1, to - from);
        return new int[] {(int) Math.round(sum[0] / n), (int) Math.round(sum[1] / n), (int) Math.round(sum[2] / n)};
    }

    private static int[] blend(int[][] colors, double[] weights) {
        double[] c = new double[3];
        for (int i = 0; i < colors.length; i++) for (int k = 0; k < 3; k++) c[k] += colors[i][k] * weights[i];
        return new int[] {channel(c[0]), channel(c[1]), channel(c[2])};
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }

    static String hex(int[] rgb) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
