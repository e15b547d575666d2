package org.cyphon.sim.owners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.sim.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerReadersTest {
    static final Path RES = Path.of("src/test/resources");
    static final Instant ORIGIN = OwnerSources.DEFAULT_ORIGIN;

    @TempDir
    Path dir;

    @Test
    void readsIntervals() {
        OwnerTrace t = IntervalsReader.read(RES.resolve("owners.tsv"), ORIGIN, false);

        assertThat(t.origin()).isEqualTo(ORIGIN);
        assertThat(t.horizonMs()).isEqualTo(10_800_000L);
        assertThat(t.desks()).extracting(DeskTrace::name).containsExactly("alpha", "beta");
        DeskTrace alpha = t.desks().getFirst();
        assertThat(alpha.state()).containsExactly(OwnerState.AWAY, OwnerState.PRESENT, OwnerState.OFF);
        assertThat(alpha.startMs()).containsExactly(0, 3_600_000, 7_200_000);
    }

    @Test
    void readsTheFailureTraceArchiveLayout() {
        OwnerTrace t = IntervalsReader.read(RES.resolve("fta-events.tsv"), ORIGIN, false);

        assertThat(t.origin()).isEqualTo(Instant.parse("2007-02-01T00:00:00Z"));
        DeskTrace h1 = t.desks().getFirst();
        assertThat(h1.name()).isEqualTo("nd-host-1");
        // event_type 1 = available = away; 0 = unavailable = the owner's.
        assertThat(h1.state()).containsExactly(OwnerState.AWAY, OwnerState.PRESENT);
        assertThat(h1.endMs()).containsExactly(3_600_000, 7_200_000);
    }

    @Test
    void readsHistoryWithItsHeaderOriginAndMachines() {
        OwnerTrace t = OwnerSources.load("history:" + RES.resolve("history.tsv"), OwnerSources.Options.defaults());

        assertThat(t.origin()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        DeskTrace ws = t.desks().getFirst();
        assertThat(ws.cores()).isEqualTo(8);
        assertThat(ws.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(ws.state()).containsExactly(OwnerState.AWAY, OwnerState.PRESENT);
    }

    @Test
    void badIntervalLinesAreNamed() throws IOException {
        Path f = dir.resolve("o.tsv");
        Files.writeString(f, "a\t0\t10\taway\na\t10\t20\tasleep\n");
        assertThatThrownBy(() -> IntervalsReader.read(f, ORIGIN, false))
                .isInstanceOf(InputError.class)
                .hasMessage(f + ":2: state 'asleep' is not present, away or off");

        Files.writeString(f, "a\t0\t10\taway\na\t5\t20\tpresent\n");
        assertThatThrownBy(() -> IntervalsReader.read(f, ORIGIN, false))
                .isInstanceOf(InputError.class)
                .hasMessageStartingWith(f + ":2: machine a: interval [5, 20) overlaps [0, 10) from " + f + ":1");

        Files.writeString(f, "a 0 10 away\n");
        assertThatThrownBy(() -> IntervalsReader.read(f, ORIGIN, false))
                .isInstanceOf(InputError.class)
                .hasMessageStartingWith(f + ":1: expected machine<TAB>start_s<TAB>end_s<TAB>state");

        Files.writeString(f, "a\t0\tten\taway\n");
        assertThatThrownBy(() -> IntervalsReader.read(f, ORIGIN, false))
                .isInstanceOf(InputError.class)
                .hasMessage(f + ":1: end_s 'ten' is not a number of seconds");

        Files.writeString(f, "a\t0\t10\taway\n");
        assertThatThrownBy(() -> IntervalsReader.read(f, ORIGIN, true))
                .isInstanceOf(InputError.class)
                .hasMessageContaining(f + ":1: not a cyphon history file");
    }

    @Test
    void readsPlanetLabDaysInDateOrder() {
        CpuSeries s = PlanetLabReader.read(
                List.of(RES.resolve("planetlab-20110306-excerpt.csv"), RES.resolve("planetlab-20110303-excerpt.csv")));

        assertThat(s.slots()).isEqualTo(2 * 288);
        float[] colostate = s.byHost().get("146-179_surfsnel_dsl_internl_net_colostate_557");
        assertThat(colostate[0]).isEqualTo(24f); // the 3 March file comes first
        // uka_p2pns is only in the 6 March excerpt: unknown (off) on the first day.
        assertThat(s.byHost().get("146-179_surfsnel_dsl_internl_net_uka_p2pns")[0])
                .isNaN();
        assertThat(s.byHost().get("146-179_surfsnel_dsl_internl_net_uka_p2pns")[288])
                .isNotNaN();
    }

    @Test
    void cpuPresenceFollowsTheThreshold() {
        CpuSeries s = PlanetLabReader.read(List.of(RES.resolve("planetlab-20110303-excerpt.csv")));
        OwnerTrace t = CpuOwners.presence(s, 25, 4, 0, ORIGIN);

        DeskTrace d = t.desks().getFirst(); // colostate: 24, 34, 29, ...
        assertThat(d.state()[0]).isEqualTo(OwnerState.AWAY);
        assertThat(d.state()[1]).isEqualTo(OwnerState.PRESENT);
        assertThat(d.ownerCpus()[1]).isEqualTo(0.34f * 4, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(t.presenceRule()).contains("at least 25%");
    }

    @Test
    void badPlanetLabValuesAreNamed() throws IOException {
        Path f = dir.resolve("cpu.csv");
        Files.writeString(f, "host,t0,t1\nh1,10,20\nh2,10,120\n");
        assertThatThrownBy(() -> PlanetLabReader.read(List.of(f)))
                .isInstanceOf(InputError.class)
                .hasMessage(f + ":3: field 3 '120' is not a utilisation percentage 0-100");
        Files.writeString(f, "name,t0\n");
        assertThatThrownBy(() -> PlanetLabReader.read(List.of(f)))
                .isInstanceOf(InputError.class)
                .hasMessageContaining(f + ":1: expected the header host,t0,t1");
    }

    @Test
    void fitIsDeterministicPerSeedAndAlternates() {
        FtaFits.Fit fit = FtaFits.bundled().fit("nd07cpu", "weibull");
        OwnerTrace a = FitGenerator.generate(fit, 5, 7, 42, false, ORIGIN);
        OwnerTrace b = FitGenerator.generate(fit, 5, 7, 42, false, ORIGIN);
        OwnerTrace c = FitGenerator.generate(fit, 5, 7, 43, false, ORIGIN);

        assertThat(a.desks().get(3).startMs()).containsExactly(b.desks().get(3).startMs());
        assertThat(a.desks().get(3).startMs()).isNotEqualTo(c.desks().get(3).startMs());
        for (DeskTrace d : a.desks()) {
            assertThat(d.lastEndMs()).isEqualTo(7 * 86_400_000L);
            for (int i = 1; i < d.segments(); i++) {
                assertThat(d.state()[i]).isNotEqualTo(d.state()[i - 1]);
                assertThat(d.startMs()[i]).isEqualTo(d.endMs()[i - 1]);
            }
        }
    }

    @Test
    void officeHoursKeepNightsAndWeekendsAway() {
        FtaFits.Fit fit = FtaFits.bundled().fit("microsoft99", "lognormal");
        OwnerTrace t = FitGenerator.generate(fit, 20, 14, 7, true, ORIGIN);
        long hour = 3_600_000L;
        for (DeskTrace d : t.desks()) {
            for (int i = 0; i < d.segments(); i++) {
                if (d.state()[i] != OwnerState.PRESENT) continue;
                long day = d.startMs()[i] / (24 * hour);
                long dayOfWeek = day % 7; // origin is a Monday
                assertThat(dayOfWeek).isLessThan(5);
                assertThat(d.startMs()[i] - day * 24 * hour).isGreaterThanOrEqualTo(8 * hour);
                assertThat(d.endMs()[i] - day * 24 * hour).isLessThanOrEqualTo(18 * hour);
            }
        }
    }

    @Test
    void gammaSamplesHaveTheFittedMean() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        PeriodDistribution g = new PeriodDistribution("gamma", 0.3, 46.16);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) sum += g.sampleHours(r);
        assertThat(sum / n).isCloseTo(0.3 * 46.16, org.assertj.core.data.Percentage.withPercentage(3));
    }

    @Test
    void unknownSourcesAndFitsAreNamed() {
        assertThatThrownBy(() -> OwnerSources.load("fit:nope", OwnerSources.Options.defaults()))
                .isInstanceOf(InputError.class)
                .hasMessageStartingWith("fit:nope: unknown dataset (known: nd07cpu, microsoft99");
        assertThatThrownBy(() -> OwnerSources.load(
                        "fit:overnet03", new OwnerSources.Options(3, 1, 1, "gamma", false, 4, 10, ORIGIN)))
                .isInstanceOf(InputError.class)
                .hasMessage("fit:overnet03: no gamma fit (it has: weibull)");
        assertThatThrownBy(() -> OwnerSources.load("sensors:x", OwnerSources.Options.defaults()))
                .isInstanceOf(InputError.class)
                .hasMessageContaining("unknown source 'sensors'");
    }
}
