package org.cyphon.sim.report;

import java.util.List;
import java.util.Locale;
import org.cyphon.sim.engine.PolicyResult;

/**
 * The policies side by side: per policy, a harvest bar (0-100% of the idle desk CPU) and an owner
 * interference bar (relative to the largest, labelled in CPU-hours with the visible events). The
 * bars leave room on their right for the longest label, so no label leaves the picture.
 */
final class PolicyBars {
    static final String HARVEST = "#1b9e77";
    static final String INTERFERENCE = "#d6604d";
    private static final int WIDTH = 760;
    private static final int ROW = 24;
    private static final int NAME_SIZE = 13;
    private static final int LABEL_SIZE = 12;

    private PolicyBars() {}

    static String render(List<PolicyResult> policies) {
        double maxInterference = 0;
        double nameWidth = 0;
        double labelWidth = Svg.textWidth("100.0%", LABEL_SIZE);
        for (PolicyResult p : policies) {
            maxInterference = Math.max(maxInterference, p.ownerInterferenceCpuSeconds());
            nameWidth = Math.max(nameWidth, Svg.textWidth(p.name(), NAME_SIZE));
            labelWidth = Math.max(labelWidth, Svg.textWidth(interferenceLabel(p), LABEL_SIZE));
        }
        double left = Math.ceil(nameWidth) + 15;
        double barMax = WIDTH - left - labelWidth - 15;
        int top = 50;
        int height = top + policies.size() * (2 * ROW + 10) + 5;
        StringBuilder s = new StringBuilder(Svg.open(WIDTH, height, "harvest and owner interference per policy"));
        s.append(Svg.rect(left, 8, 12, 12, HARVEST))
                .append(Svg.text(left + 18, 18, LABEL_SIZE, "start", "harvest efficiency: % of the idle desk CPU"));
        s.append(Svg.rect(left, 28, 12, 12, INTERFERENCE))
                .append(Svg.text(
                        left + 18,
                        38,
                        LABEL_SIZE,
                        "start",
                        "owner interference: CPU-h (bars relative to the largest), owner-visible events"));
        int y = top;
        for (PolicyResult p : policies) {
            double hw = barMax * Math.max(0, Math.min(1, p.harvestEfficiency()));
            double iw = maxInterference > 0 ? barMax * p.ownerInterferenceCpuSeconds() / maxInterference : 0;
            s.append(Svg.text(5, y + ROW + 4, NAME_SIZE, "start", p.name()));
            s.append(Svg.rect(left, y, hw, ROW - 4, HARVEST));
            s.append(Svg.text(
                    left + hw + 5,
                    y + 15,
                    LABEL_SIZE,
                    "start",
                    String.format(Locale.ROOT, "%.1f%%", 100 * p.harvestEfficiency())));
            s.append(Svg.rect(left, y + ROW, iw, ROW - 4, INTERFERENCE));
            s.append(Svg.text(left + iw + 5, y + ROW + 15, LABEL_SIZE, "start", interferenceLabel(p)));
            y += 2 * ROW + 10;
        }
        return s.append("</svg>\n").toString();
    }

    private static String interferenceLabel(PolicyResult p) {
        return String.format(
                Locale.ROOT, "%.2f CPU-h, %d visible", p.ownerInterferenceCpuSeconds() / 3600, p.ownerVisibleEvents());
    }
}
