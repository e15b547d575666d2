package org.cyphon.core.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.cyphon.core.owner.ScriptedOwner.FIRST_DAY;
import static org.cyphon.core.owner.ScriptedOwner.ZONE;
import static org.cyphon.core.owner.ScriptedOwner.at;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdleForecastTest {
    /** Idle lengths from a Weibull distribution (shape 0.6, scale 1 h): many short breaks, a long tail. */
    private static final double SHAPE = 0.6, SCALE = 3600;

    private static double weibull(Random rnd) {
        return SCALE * Math.pow(-Math.log(1 - rnd.nextDouble()), 1 / SHAPE);
    }

    private static double trueSurvival(double seconds) {
        return Math.exp(-Math.pow(seconds / SCALE, SHAPE));
    }

    @Test
    void forecastsAreCalibratedOnGeneratedIdlePeriods() {
        Random rnd = new Random(20260105);
        // A long half-life, so that a year of generated periods all count as evidence.
        UsageProfile p = UsageProfile.empty(new ProfileSettings(ZONE, Duration.ofDays(3650), Duration.ofDays(30)));
        Instant t = at(FIRST_DAY, 0);
        for (int i = 0; i < 12_000; i++) {
            long away = Math.max(1, (long) weibull(rnd));
            long present = 60 + (long) (rnd.nextDouble() * 3600);
            p = p.observe(new PresenceInterval(t, t.plusSeconds(away), OwnerState.AWAY));
            t = t.plusSeconds(away);
            p = p.observe(new PresenceInterval(t, t.plusSeconds(present), OwnerState.PRESENT));
            t = t.plusSeconds(present);
        }

        // Held-out periods, each predicted when it began (d = 0) and once it had lasted 30 minutes.
        double[] horizons = {300, 1800, 3600, 4 * 3600, 12 * 3600};
        int n = 3000;
        double[] predicted = new double[horizons.length], observed = new double[horizons.length];
        double[] predictedLater = new double[horizons.length], observedLater = new double[horizons.length];
        int later = 0;
        for (int i = 0; i < n; i++) {
            Instant start = t.plusSeconds((long) (rnd.nextDouble() * 7 * 86_400));
            double length = weibull(rnd);
            IdleForecast atStart = IdleForecast.of(p, start, Duration.ZERO, null);
            IdleForecast after30 = IdleForecast.of(p, start.plusSeconds(1800), Duration.ofMinutes(30), null);
            boolean survived30 = length >= 1800;
            if (survived30) later++;
            for (int h = 0; h < horizons.length; h++) {
                predicted[h] += atStart.stayAwaySeconds(horizons[h]);
                observed[h] += length >= horizons[h] ? 1 : 0;
                if (survived30) {
                    predictedLater[h] += after30.stayAwaySeconds(horizons[h]);
                    observedLater[h] += length >= 1800 + horizons[h] ? 1 : 0;
                }
            }
        }
        for (int h = 0; h < horizons.length; h++) {
            double pred = predicted[h] / n, obs = observed[h] / n;
            assertThat(pred)
                    .as("P(away >= %s s) predicted vs observed", horizons[h])
                    .isCloseTo(obs, within(0.04));
            assertThat(pred)
                    .as("P(away >= %s s) predicted vs true", horizons[h])
                    .isCloseTo(trueSurvival(horizons[h]), within(0.04));
            double predL = predictedLater[h] / later, obsL = observedLater[h] / later;
            double truth = trueSurvival(1800 + horizons[h]) / trueSurvival(1800);
            assertThat(predL)
                    .as("P(away >= 30 min + %s s | 30 min) predicted vs observed", horizons[h])
                    .isCloseTo(obsL, within(0.05));
            assertThat(predL)
                    .as("P(away >= 30 min + %s s | 30 min) predicted vs true", horizons[h])
                    .isCloseTo(truth, within(0.05));
        }
    }

    @Test
    void anOfficeDeskIsAwayOverTheNightAndTheWeekendButNotThroughTheNextDay() {
        UsageProfile p = ScriptedOwner.office(8);
        LocalDate tuesday = FIRST_DAY.plusDays(8 * 7 + 1);
        IdleForecast tuesdayEvening = IdleForecast.of(p, at(tuesday, 18), Duration.ofHours(1), null);
        assertThat(tuesdayEvening.stayAway(Duration.ofHours(3))).isGreaterThan(0.9);
        assertThat(tuesdayEvening.stayAway(Duration.ofHours(14))).isGreaterThan(0.8);
        assertThat(tuesdayEvening.stayAway(Duration.ofHours(24))).isLessThan(0.1);
        assertThat(tuesdayEvening.horizonAt(0.5)).isBetween(Duration.ofHours(14), Duration.ofHours(16));

        IdleForecast fridayEvening = IdleForecast.of(p, at(tuesday.plusDays(3), 18), Duration.ofHours(1), null);
        assertThat(fridayEvening.stayAway(Duration.ofHours(60))).isGreaterThan(0.8);
        assertThat(fridayEvening.expectedRemaining()).isGreaterThan(Duration.ofHours(55));
        assertThat(fridayEvening.expectedRemaining())
                .isGreaterThan(tuesdayEvening.expectedRemaining().multipliedBy(3));
    }

    @Test
    void shortBreaksForecastShortWindows() {
        UsageProfile p = ScriptedOwner.breaks(Duration.ofMinutes(20), Duration.ofMinutes(40), 28);
        Instant now = p.learnedUntil();
        IdleForecast f = IdleForecast.of(p, now, Duration.ofMinutes(5), null);
        assertThat(f.stayAway(Duration.ofMinutes(10))).isGreaterThan(0.8);
        assertThat(f.stayAway(Duration.ofHours(3))).isLessThan(0.1);
        assertThat(f.expectedRemaining()).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(25));
    }

    @Test
    void stayAwayNeverRisesWithTheHorizonAndHorizonAtInvertsIt() {
        UsageProfile p = ScriptedOwner.office(6);
        for (int hour = 0; hour < 168; hour += 7) {
            IdleForecast f = IdleForecast.of(p, at(FIRST_DAY.plusDays(42), hour), Duration.ofMinutes(hour % 90), null);
            double last = 1;
            for (long s = 0; s <= 14 * 86_400; s += 1234) {
                double v = f.stayAwaySeconds(s);
                assertThat(v).isBetween(0.0, 1.0).isLessThanOrEqualTo(last + 1e-12);
                last = v;
            }
            Duration h = f.horizonAt(0.7);
            if (h.compareTo(Duration.ofDays(14)) < 0) {
                assertThat(f.stayAway(h)).isGreaterThanOrEqualTo(0.7);
                assertThat(f.stayAway(h.plusMinutes(2))).isLessThan(0.7);
            }
        }
    }

    @Test
    void aDeclaredAbsenceKeepsTheDeskIdleUntilItsEnd() {
        UsageProfile p = ScriptedOwner.office(8);
        LocalDate monday = FIRST_DAY.plusDays(8 * 7);
        Instant now = at(monday, 20);
        Instant until = at(monday.plusDays(4), 0); // away until Friday
        Absence away = new Absence(now.minusSeconds(3 * 3600), until, Absence.Kind.DECLARED, "alice");
        IdleForecast f = IdleForecast.of(p, now, Duration.ofHours(3), away);
        IdleForecast usual = IdleForecast.of(p, now, Duration.ofHours(3), null);

        assertThat(usual.stayAway(Duration.ofHours(24))).isLessThan(0.1);
        assertThat(f.stayAway(Duration.ofHours(24))).isEqualTo(1.0);
        assertThat(f.stayAway(Duration.between(now, until))).isEqualTo(1.0);
        // From its end on, the usual week: Friday at 00:00, the owner is expected at 9:00 and not much later.
        assertThat(f.stayAway(Duration.between(now, until).plusHours(6))).isGreaterThan(0.9);
        assertThat(f.stayAway(Duration.between(now, until).plusHours(12))).isLessThan(0.2);
        assertThat(f.horizonAt(0.99)).isGreaterThanOrEqualTo(Duration.between(now, until));

        // An absence that is over no longer counts: Friday 02:00, the owner is expected at 9:00.
        IdleForecast after = IdleForecast.of(p, until.plusSeconds(3600 * 2), Duration.ofHours(2), away);
        assertThat(after.stayAway(Duration.ofHours(8))).isLessThan(0.2);
    }

    @Test
    void aDetectedAbsenceRaisesSurvival() {
        UsageProfile p = ScriptedOwner.office(8);
        LocalDate friday = FIRST_DAY.plusDays(8 * 7 - 3);
        Instant left = at(friday, 17);
        Instant now = at(friday.plusDays(4), 12); // Tuesday noon, not seen since Friday
        for (Instant t = left; t.isBefore(now); t = t.plusSeconds(3600))
            p = p.observe(new PresenceInterval(t, t.plusSeconds(3600), OwnerState.AWAY));
        Duration idle = Duration.between(left, now);

        Absence detected = p.detectedAbsence(now, idle).orElseThrow();
        IdleForecast plain = IdleForecast.of(p, now, idle, null);
        IdleForecast onVacation = IdleForecast.of(p, now, idle, detected);
        IdleForecast auto = IdleForecast.of(p, now, idle);
        assertThat(auto.absence()).isEqualTo(detected);
        for (int hours : new int[] {4, 24, 72}) {
            Duration h = Duration.ofHours(hours);
            assertThat(onVacation.stayAway(h)).as("%d h", hours).isGreaterThan(plain.stayAway(h));
            assertThat(auto.stayAway(h)).isEqualTo(onVacation.stayAway(h));
        }
        assertThat(onVacation.expectedRemaining()).isGreaterThan(plain.expectedRemaining());
    }

    @Test
    void aDeskWithNoHistoryGetsAModestForecast() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        IdleForecast f = IdleForecast.of(p, at(FIRST_DAY, 12), Duration.ZERO, null);
        assertThat(f.stayAway(Duration.ZERO)).isEqualTo(1.0);
        assertThat(f.stayAway(Duration.ofMinutes(10))).isBetween(0.9, 1.0);
        assertThat(f.stayAway(Duration.ofDays(2))).isLessThan(0.01);
        assertThat(f.expectedRemaining()).isBetween(Duration.ofHours(3), Duration.ofHours(5));
    }

    @Test
    void forecastsAreDeterministic() {
        UsageProfile p = ScriptedOwner.office(4);
        List<Double> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Instant now = at(FIRST_DAY.plusDays(28), i * 3);
            a.add(IdleForecast.of(p, now, Duration.ofMinutes(i), null).stayAway(Duration.ofMinutes(17L * i)));
        }
        UsageProfile q = UsageProfile.restore(p.snapshot());
        for (int i = 0; i < 50; i++) {
            Instant now = at(FIRST_DAY.plusDays(28), i * 3);
            b.add(IdleForecast.of(q, now, Duration.ofMinutes(i), null).stayAway(Duration.ofMinutes(17L * i)));
        }
        assertThat(b).isEqualTo(a);
    }
}
