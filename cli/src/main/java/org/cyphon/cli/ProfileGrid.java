package org.cyphon.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.cyphon.core.protocol.ProfileView;
import org.cyphon.core.text.Durations;

/**
 * A desk's track record in the terminal: the week as 7 rows (Mon..Sun) of 24 hours, each cell
 * shaded by how likely the owner is at the desk then, hours with too little evidence left blank;
 * a legend; how much evidence there is; and the forecast from now.
 */
final class ProfileGrid {
    static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    /** Shades for P(present) below 0.2, 0.5, 0.8, and above; light = likely away = good for the cluster. */
    private static final char[] UNICODE = {'░', '▒', '▓', '█'};

    private static final char[] ASCII = {'.', '-', '+', '#'};
    /** Less evidence than this (decayed hours) and the hour shows as unknown. */
    static final double MIN_EVIDENCE_HOURS = 0.25;

    private ProfileGrid() {}

    static String render(ProfileView p, boolean ascii) {
        char[] shade = ascii ? ASCII : UNICODE;
        char unknown = ascii ? ' ' : '·';
        StringBuilder out = new StringBuilder();
        out.append("presence by hour of week (")
                .append(p.zone())
                .append(" time; darker = owner more likely at the desk)\n");
        StringBuilder hours = new StringBuilder("     ");
        for (int h = 0; h < 24; h += 3) hours.append(String.format(Locale.ROOT, "%-3d", h));
        out.append(hours.toString().stripTrailing()).append('\n');
        List<Double> present = p.presentProbability();
        List<Double> evidence = p.evidenceHours();
        double total = 0;
        int known = 0;
        for (int d = 0; d < 7; d++) {
            out.append(DAYS[d]).append("  ");
            for (int h = 0; h < 24; h++) {
                int i = d * 24 + h;
                double e = evidence.get(i);
                total += e;
                if (e < MIN_EVIDENCE_HOURS) {
                    out.append(unknown);
                } else {
                    known++;
                    double q = present.get(i);
                    out.append(shade[q < 0.2 ? 0 : q < 0.5 ? 1 : q < 0.8 ? 2 : 3]);
                }
            }
            out.append('\n');
        }
        out.append("legend: ")
                .append(shade[0])
                .append(" <20%  ")
                .append(shade[1])
                .append(" 20-50%  ")
                .append(shade[2])
                .append(" 50-80%  ")
                .append(shade[3])
                .append(" >=80%  '")
                .append(unknown)
                .append("' too little evidence\n");
        out.append(
                String.format(Locale.ROOT, "evidence: %.0f h observed (decayed), %d of 168 hours known", total, known));
        if (p.learnedUntil() != null) out.append(", learned until ").append(p.learnedUntil());
        out.append('\n');
        return out.toString();
    }

    /** "away 2h05m since ...", then the forecast from now. */
    static String forecast(ProfileView p) {
        StringBuilder out = new StringBuilder();
        if (p.state() != null)
            out.append("now:       ")
                    .append(p.state())
                    .append(p.stateSince() == null ? "" : " since " + p.stateSince())
                    .append('\n');
        ProfileView.ForecastView f = p.forecast();
        if (f == null) {
            out.append("forecast:  none (the desk is off or has not been seen)\n");
            return out.toString();
        }
        out.append(String.format(
                Locale.ROOT,
                "forecast:  P(away >= 1h) %.2f, >= 3h %.2f, >= 8h %.2f; expected remaining idle %s%n",
                f.awayAtLeast1h(),
                f.awayAtLeast3h(),
                f.awayAtLeast8h(),
                Durations.format(Duration.ofSeconds(f.expectedRemainingSeconds()))));
        if (f.ownerExpectedBy() != null)
            out.append("           owner expected back by ")
                    .append(f.ownerExpectedBy())
                    .append('\n');
        return out.toString();
    }

    /** Whether stdout can show the shading blocks. */
    static boolean unicodeOk() {
        java.nio.charset.Charset cs = System.out.charset();
        return cs != null && cs.name().toUpperCase(Locale.ROOT).startsWith("UTF");
    }
}
