package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.cli.client.Display;
import org.cyphon.core.protocol.NicView;
import org.cyphon.core.protocol.PowerView;

/** The power lines of {@code cyphon machine NAME}: asleep or not, the cards it wakes through, its last wake-up. */
final class PowerText {
    private PowerText() {}

    static String describe(PowerView p, Instant now) {
        if (p == null) return "";
        StringBuilder out = new StringBuilder();
        line(
                out,
                "power",
                p.asleepSince() != null
                        ? "asleep (" + p.how() + ") since " + Display.ago(p.asleepSince(), now)
                        : "awake (it last slept by " + p.how() + ")");
        for (NicView n : p.interfaces()) {
            line(
                    out,
                    "wake-on",
                    n.name() + " " + n.mac() + ": " + n.wakeOnLan()
                            + (n.broadcasts().isEmpty() ? "" : ", via " + String.join(", ", n.broadcasts()))
                            + (n.detail() == null || n.detail().isBlank() ? "" : " (" + n.detail() + ")"));
        }
        if (p.interfaces().isEmpty()) line(out, "wake-on", "no card reported: only its owner can wake it");
        if (p.wakeSentAt() != null)
            line(
                    out,
                    "woken",
                    "magic packet " + Display.ago(p.wakeSentAt(), now) + " by " + p.wakeSentBy()
                            + (p.unanswered() ? ": no answer (not woken for work again until it is heard from)" : ""));
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-10s %s%n", key + ":", value));
    }
}
