package org.cyphon.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ParsersTest {
    @Test
    void sizesAsPeopleWriteThem() {
        assertThat(Sizes.parse("512M")).isEqualTo(512L << 20);
        assertThat(Sizes.parse("2G")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("1.5GiB")).isEqualTo(3L << 29);
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
        assertThat(Sizes.parse("64k")).isEqualTo(64 * 1024);
        assertThat(Sizes.parse(" 1 T ".trim())).isEqualTo(1L << 40);
    }

    @Test
    void badSizesSayWhatIsWrong() {
        assertThatThrownBy(() -> Sizes.parse("12Q")).hasMessageContaining("'12Q' is not a size");
        assertThatThrownBy(() -> Sizes.parse("-5M")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Sizes.parse("")).hasMessageContaining("empty");
    }

    @Test
    void sizesFormatShort() {
        assertThat(Sizes.format(512L << 20)).isEqualTo("512M");
        assertThat(Sizes.format(3L << 29)).isEqualTo("1.5G");
        assertThat(Sizes.format(12)).isEqualTo("12B");
    }

    @Test
    void durationsAsPeopleWriteThem() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badDurationsSayWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parse("forever")).hasMessageContaining("'forever' is not a duration");
        assertThatThrownBy(() -> Durations.parse("5x")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("5m junk")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("1000000d")).hasMessageContaining("too long");
    }

    @Test
    void durationsFormatCompact() {
        assertThat(Durations.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Durations.format(Duration.ofSeconds(723))).isEqualTo("12m03s");
        assertThat(Durations.format(Duration.ofMinutes(185))).isEqualTo("3h05m");
        assertThat(Durations.format(Duration.ofHours(52))).isEqualTo("2d04h");
    }

    @Test
    void durationsAsWrittenInASettingReadBackTheSame() {
        assertThat(Durations.asWritten(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(Durations.asWritten(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.asWritten(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.asWritten(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.asWritten(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Durations.asWritten(Duration.ZERO)).isEqualTo("0s");
        for (String s : new String[] {"1m", "1h30m", "250ms", "2d", "1m30s"})
            assertThat(Durations.asWritten(Durations.parse(s))).isEqualTo(s);
    }
}
