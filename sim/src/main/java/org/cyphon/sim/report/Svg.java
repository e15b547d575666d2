package org.cyphon.sim.report;

import java.util.Locale;

/**
 * The few SVG pieces the report's charts share: the root element, text, and a time axis in days.
 * Every chart keeps its text inside its viewBox; {@link #textWidth} is the generous estimate it
 * lays labels out with (system-ui at that size averages well under 0.62 em per character).
 */
final class Svg {
    static final String AXIS = "#444";
    static final String GRID = "#e4e4e4";

    private Svg() {}

    static String open(int width, int height, String label) {
        return String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\""
                        + " xmlns=\"http://www.w3.org/2000/svg\">\n",
                width,
                height,
                width,
                height,
                esc(label));
    }

    /** Text at (x, y); {@code anchor} start, middle or end. */
    static String text(double x, double y, int size, String anchor, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>\n",
                x,
                y,
                size,
                anchor,
                esc(content));
    }

    /** Text turned 90 degrees counter-clockwise, centred on (x, y): a vertical axis's name. */
    static String verticalText(double x, double y, int size, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>\n",
                x,
                y,
                size,
                x,
                y,
                esc(content));
    }

    static String line(double x1, double y1, double x2, double y2, String stroke) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                x1,
                y1,
                x2,
                y2,
                stroke);
    }

    static String rect(double x, double y, double w, double h, String fill) {
        return String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                x,
                y,
                w,
                h,
                fill);
    }

    /** A generous width estimate of {@code text} at {@code size} px. */
    static double textWidth(String text, int size) {
        return text.length() * size * 0.62;
    }

    /**
     * Day ticks under a time axis from {@code x0} at hour 0, {@code pxPerHour} wide: a tick every
     * day, labelled every day when the labels fit, else every 7th (the origin's weekday) day.
     */
    static String dayAxis(double x0, double y, double pxPerHour, double hours, String name) {
        StringBuilder s = new StringBuilder();
        int days = (int) Math.floor(hours / 24 + 1e-9);
        int labelEvery = pxPerHour * 24 >= 18 ? 1 : pxPerHour * 24 * 7 >= 18 ? 7 : 28;
        s.append(line(x0, y, x0 + pxPerHour * hours, y, AXIS)).append('\n');
        for (int d = 0; d <= days; d++) {
            double x = x0 + d * 24 * pxPerHour;
            boolean labelled = d % labelEvery == 0;
            s.append(line(x, y, x, y + (labelled ? 5 : 3), AXIS));
            if (labelled) s.append(text(x, y + 15, 10, "middle", Integer.toString(d)));
            else s.append('\n');
        }
        s.append(text(x0 + pxPerHour * hours / 2, y + 30, 11, "middle", name));
        return s.toString();
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
