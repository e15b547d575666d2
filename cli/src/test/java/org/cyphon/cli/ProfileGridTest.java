package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.cli.MachineViewBuilder.machine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.protocol.AbsenceView;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.ProfileView;
import org.junit.jupiter.api.Test;

/** {@code cyphon machine NAME}: the week-by-hour grid, its legend and evidence, the forecast and the absence. */
class ProfileGridTest {
    /** Office hours Mon-Fri 9-17 (P 0.9, Friday afternoon 0.6), nights and weekends P 0.05, 0.3 at 8 and 17; Sunday before 6 unseen. */
    private static ProfileView officeWeek(ProfileView.ForecastView forecast) {
        List<Double> present = new ArrayList<>();
        List<Double> evidence = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            for (int h = 0; h < 24; h++) {
                boolean workday = d < 5;
                double p = !workday
                        ? 0.05
                        : h >= 9 && h < 17 ? (d == 4 && h >= 13 ? 0.6 : 0.9) : h == 8 || h == 17 ? 0.3 : 0.05;
                present.add(p);
                evidence.add(d == 6 && h < 6 ? 0.0 : 3.0);
            }
        }
        return new ProfileView(
                "Europe/Berlin",
                present,
                evidence,
                Instant.parse("2026-11-30T07:00:00Z"),
                "away",
                Instant.parse("2026-11-27T16:00:00Z"),
                forecast);
    }

    @Test
    void theWeekIsSevenRowsOfTwentyFourShadedHours() {
        String grid = ProfileGrid.render(officeWeek(null), true);
        assertThat(grid).isEqualTo("""
                presence by hour of week (Europe/Berlin time; darker = owner more likely at the desk)
                     0  3  6  9  12 15 18 21
                Mon  ........-########-......
                Tue  ........-########-......
                Wed  ........-########-......
                Thu  ........-########-......
                Fri  ........-####++++-......
                Sat  ........................
                Sun        ..................
                legend: . <20%  - 20-50%  + 50-80%  # >=80%  ' ' too little evidence
                evidence: 486 h observed (decayed), 162 of 168 hours known, learned until 2026-11-30T07:00:00Z
                """);
        String unicode = ProfileGrid.render(officeWeek(null), false);
        assertThat(unicode.lines().skip(2).limit(7)).allMatch(l -> l.length() == 5 + 24);
        assertThat(unicode.lines().skip(2).findFirst().orElseThrow()).isEqualTo("Mon  ░░░░░░░░▒████████▒░░░░░░");
        assertThat(unicode.lines().skip(8).findFirst().orElseThrow()).isEqualTo("Sun  ······░░░░░░░░░░░░░░░░░░");
    }

    @Test
    void theMachineViewShowsOwnerAbsenceGridAndForecast() {
        Instant at = Instant.parse("2026-11-30T07:30:00Z");
        ProfileView p = officeWeek(new ProfileView.ForecastView(
                at, 228_600, 0.93, 0.41, 0.02, 7_500, Instant.parse("2026-11-30T08:15:00Z")));
        MachineView m = machine("desk-07", at)
                .build()
                .withTrackRecord(
                        "alice",
                        new AbsenceView("declared", at, Instant.parse("2026-12-23T23:00:00Z"), "alice", "vacation"),
                        p);
        String out = MachineCommand.trackRecord(m, true);
        assertThat(out).startsWith("""
                desk of:   alice
                absence:   away until 2026-12-23T23:00:00Z (declared by alice: vacation)

                presence by hour of week (Europe/Berlin time;""");
        assertThat(out).endsWith("""
                now:       away since 2026-11-27T16:00:00Z
                forecast:  P(away >= 1h) 0.93, >= 3h 0.41, >= 8h 0.02; expected remaining idle 2h05m
                           owner expected back by 2026-11-30T08:15:00Z
                """);
        assertThat(MachineCommand.trackRecord(m.withTrackRecord(null, null, null), true))
                .isEqualTo("""
                desk of:   nobody (an admin sets it: cyphon machine desk-07 --set-owner USER)
                absence:   no absence
                """);
    }

    @Test
    void theMachinesTableShowsAnAbsenceBesideThePresence() {
        Instant now = Instant.parse("2026-11-24T10:15:30Z");
        var away = new org.cyphon.core.protocol.DeskView("away", 7500, false, true, "desktop", List.of(), List.of());
        MachineView m = machine("desk-1", now)
                .desk(away)
                .build()
                .withTrackRecord(
                        "alice",
                        new AbsenceView("declared", now, Instant.parse("2026-12-23T23:00:00Z"), "alice", null),
                        null);
        assertThat(MachinesCommand.owner(m)).isEqualTo("away 2h05m (away until 12-23)");
        assertThat(MachinesCommand.owner(m.withTrackRecord(
                        "alice",
                        new AbsenceView("detected", Instant.parse("2026-11-22T18:00:00Z"), null, null, null),
                        null)))
                .isEqualTo("away 2h05m (absent since 11-22)");
    }
}
