package org.cyphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsArePaddedToTheWidestCellWithoutTrailingSpaces() {
        String out = new Table("ID", "NAME", "STATE")
                .alignRight(0)
                .row(7, "a", "queued")
                .row(1234, "longer-name", null)
                .render();

        assertThat(out).isEqualTo("""
                  ID  NAME         STATE
                   7  a            queued
                1234  longer-name  -
                """);
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertThat(new Table("A", "B").render()).isEqualTo("A  B\n");
    }

    @Test
    void widthCountsCodePointsAndNewlinesDoNotBreakRows() {
        String out = new Table("X", "Y")
                .row("\uD83D\uDE80", "1")
                .row("ab", "two\nlines")
                .render();

        assertThat(out).isEqualTo("""
                X   Y
                \uD83D\uDE80   1
                ab  two lines
                """);
    }
}
