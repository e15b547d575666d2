package org.cyphon.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What the desk session shows the owner when an administrator's hold keeps their desktop away. */
class HeldHeadlineTest {

    @Test
    void aHoldUntilReleasedSaysSo() {
        assertThat(DeskSession.heldHeadline("held saved by alice until released"))
                .isEqualTo("Your desktop is held saved by the administrator until released");
    }

    @Test
    void aHoldWithAnEndSaysWhenInLocalTime() {
        Instant end = Instant.now().plusSeconds(3600 * 30);
        String local = end.atZone(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH));
        assertThat(DeskSession.heldHeadline("held paused by bob until " + end))
                .isEqualTo("Your desktop is held paused by the administrator until " + local);
    }

    @Test
    void anEndTheSessionCannotReadIsShownAsWritten() {
        assertThat(DeskSession.heldHeadline("held saved by alice until tomorrow"))
                .isEqualTo("Your desktop is held saved by the administrator until tomorrow");
    }
}
