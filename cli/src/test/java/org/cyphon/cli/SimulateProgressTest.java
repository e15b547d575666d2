package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulateProgressTest {
    @Test
    void theLineSaysHowFarThePoliciesGotAndIsRewrittenInPlaceThenWiped() {
        StringWriter text = new StringWriter();
        SimulateProgress p = new SimulateProgress(new PrintWriter(text), List.of("desktop", "strict"), true);

        p.phase("reading the traces");
        assertThat(p.line()).startsWith("reading the traces... ");
        p.phase("simulating");
        p.reached("desktop", 1);
        p.reached("strict", 0.5);
        assertThat(p.line())
                .startsWith("simulating: 75% (1 of 2 policies done), ")
                .endsWith(" left");
        p.close();

        String out = text.toString();
        assertThat(out)
                .doesNotContain("\n")
                .startsWith("\rreading the traces... ")
                .contains("\rsimulating: 0%");
        assertThat(out).endsWith("\r");
        // The wipe covers the longest line shown.
        String last = out.substring(out.lastIndexOf('\r', out.length() - 2) + 1, out.length() - 1);
        assertThat(last).isBlank().hasSizeGreaterThanOrEqualTo("simulating: 0% (0 of 2 policies done), 0s".length());
    }

    @Test
    void disabledItPrintsNothing() {
        StringWriter text = new StringWriter();
        try (SimulateProgress p = new SimulateProgress(new PrintWriter(text), List.of("desktop"), false)) {
            p.phase("simulating");
            p.reached("desktop", 0.5);
        }
        assertThat(text.toString()).isEmpty();
    }
}
