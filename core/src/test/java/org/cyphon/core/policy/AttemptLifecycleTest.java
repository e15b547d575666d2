package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.core.policy.AttemptLifecycle.Effect.FREEZE;
import static org.cyphon.core.policy.AttemptLifecycle.Effect.KILL;
import static org.cyphon.core.policy.AttemptLifecycle.Effect.LIFT_LINGER_CAPS;
import static org.cyphon.core.policy.AttemptLifecycle.Effect.SET_LINGER_CAPS;
import static org.cyphon.core.policy.AttemptLifecycle.Effect.SIGNAL_CHECKPOINT;
import static org.cyphon.core.policy.AttemptLifecycle.Effect.THAW;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cyphon.core.policy.AttemptLifecycle.Effect;
import org.cyphon.core.policy.AttemptLifecycle.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transition of an attempt on a desk, numbered as HTCondor numbers its startd's: one row per
 * (from, decision) that does something, with the state it leads to and the effects, in order. Any
 * pair not in the table must change nothing ({@link #everyPairNotInTheTableChangesNothing}).
 */
class AttemptLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
    private static final Instant NOW = T0.plus(Duration.ofMinutes(10));
    private static final LingerCaps CAPS = new LingerCaps(0.5, 20L << 20);

    /** The states an attempt can be in, as the rows name them (each both checkpointable and not). */
    static final Map<String, AttemptLifecycle> FROM = new LinkedHashMap<>();

    /** The decisions a policy can take, as the rows name them. */
    static final Map<String, Decision> DECISION = new LinkedHashMap<>();

    static {
        FROM.put("running", at(AttemptState.RUNNING, false, false));
        FROM.put("lingering", at(AttemptState.LINGERING, true, false));
        FROM.put("frozen", at(AttemptState.FROZEN, false, false));
        FROM.put("frozen, capped", at(AttemptState.FROZEN, true, false));
        FROM.put("vacating", at(AttemptState.VACATING, false, false));
        FROM.put("killed", at(AttemptState.VACATING, false, true));

        DECISION.put("RUN", decision(Action.RUN, null));
        DECISION.put("LINGER", decision(Action.LINGER, CAPS));
        DECISION.put("FREEZE", decision(Action.FREEZE, null));
        DECISION.put("THAW", decision(Action.THAW, null));
        DECISION.put("THAW+caps", decision(Action.THAW, CAPS));
        DECISION.put("VACATE", decision(Action.CHECKPOINT_AND_VACATE, null));
        DECISION.put("KILL", decision(Action.KILL, null));
    }

    /**
     * number, from, whether the attempt can checkpoint ("ckpt", "no ckpt", or "" for either), the
     * decision, the state it leads to (or "killed"), the effects in order.
     */
    record Row(int number, String from, String ckpt, String decision, String to, List<Effect> effects) {
        @Override
        public String toString() {
            return number + ": " + from + (ckpt.isEmpty() ? "" : " (" + ckpt + ")") + " + " + decision + " -> " + to
                    + " " + effects;
        }

        List<Boolean> checkpointable() {
            return switch (ckpt) {
                case "ckpt" -> List.of(true);
                case "no ckpt" -> List.of(false);
                default -> List.of(true, false);
            };
        }
    }

    static final List<Row> TABLE = List.of(
            // running
            new Row(1, "running", "", "LINGER", "lingering", List.of(SET_LINGER_CAPS)),
            new Row(2, "running", "", "THAW+caps", "lingering", List.of(SET_LINGER_CAPS)),
            new Row(3, "running", "", "FREEZE", "frozen", List.of(FREEZE)),
            new Row(4, "running", "ckpt", "VACATE", "vacating", List.of(SIGNAL_CHECKPOINT)),
            new Row(5, "running", "no ckpt", "VACATE", "killed", List.of(KILL)),
            new Row(6, "running", "", "KILL", "killed", List.of(KILL)),
            // lingering
            new Row(7, "lingering", "", "RUN", "running", List.of(LIFT_LINGER_CAPS)),
            new Row(8, "lingering", "", "FREEZE", "frozen", List.of(FREEZE)),
            new Row(9, "lingering", "ckpt", "VACATE", "vacating", List.of(SIGNAL_CHECKPOINT)),
            new Row(10, "lingering", "no ckpt", "VACATE", "killed", List.of(KILL)),
            new Row(11, "lingering", "", "KILL", "killed", List.of(KILL)),
            // frozen
            new Row(12, "frozen", "", "RUN", "running", List.of(THAW)),
            new Row(13, "frozen", "", "THAW", "running", List.of(THAW)),
            new Row(14, "frozen", "", "LINGER", "lingering", List.of(SET_LINGER_CAPS, THAW)),
            new Row(15, "frozen", "", "THAW+caps", "lingering", List.of(SET_LINGER_CAPS, THAW)),
            new Row(16, "frozen, capped", "", "RUN", "running", List.of(LIFT_LINGER_CAPS, THAW)),
            new Row(17, "frozen, capped", "", "THAW", "running", List.of(LIFT_LINGER_CAPS, THAW)),
            new Row(18, "frozen, capped", "", "LINGER", "lingering", List.of(THAW)),
            new Row(19, "frozen, capped", "", "THAW+caps", "lingering", List.of(THAW)),
            new Row(20, "frozen", "ckpt", "VACATE", "vacating", List.of(THAW, SIGNAL_CHECKPOINT)),
            new Row(21, "frozen, capped", "ckpt", "VACATE", "vacating", List.of(THAW, SIGNAL_CHECKPOINT)),
            new Row(22, "frozen", "no ckpt", "VACATE", "killed", List.of(KILL)),
            new Row(23, "frozen, capped", "no ckpt", "VACATE", "killed", List.of(KILL)),
            new Row(24, "frozen", "", "KILL", "killed", List.of(KILL)),
            new Row(25, "frozen, capped", "", "KILL", "killed", List.of(KILL)),
            // vacating: only the end of the grace changes anything
            new Row(26, "vacating", "", "KILL", "killed", List.of(KILL)));

    static Stream<Row> table() {
        return TABLE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void transition(Row row) {
        for (boolean ckpt : row.checkpointable()) {
            AttemptLifecycle from = variant(FROM.get(row.from()), ckpt);
            Decision d = DECISION.get(row.decision());
            Transition t = from.apply(d, NOW);
            String as = row + (ckpt ? " checkpointable" : " not checkpointable");

            assertThat(t.effects()).as(as).containsExactlyElementsOf(row.effects());
            assertThat(t.changed()).as("a row of the table is a change: " + as).isTrue();
            if (row.to().equals("killed")) {
                assertThat(t.to().killed()).as(as).isTrue();
                assertThat(t.to().running()).as(as).isFalse();
            } else {
                assertThat(t.to().killed()).as(as).isFalse();
                assertThat(t.to().state().celName()).as(as).isEqualTo(row.to());
                assertThat(t.to().since()).as("entered now: " + as).isEqualTo(NOW);
            }
            assertThat(t.from()).isSameAs(from);
            assertThat(t.decision()).isSameAs(d);
            assertThat(t.to().checkpointable()).isEqualTo(ckpt);
            assertThat(t.caps()).as(as).isEqualTo(row.effects().contains(SET_LINGER_CAPS) ? CAPS : null);
            assertThat(t.to().capped())
                    .as("capped after " + as)
                    .isEqualTo(row.effects().contains(SET_LINGER_CAPS)
                            || (from.capped() && !row.effects().contains(LIFT_LINGER_CAPS)));
        }
    }

    @Test
    void everyPairNotInTheTableChangesNothing() {
        Set<String> listed = new HashSet<>();
        for (Row r : TABLE) {
            for (boolean ckpt : r.checkpointable())
                assertThat(listed.add(r.from() + "|" + ckpt + "|" + r.decision()))
                        .as("listed twice: " + r)
                        .isTrue();
        }
        List<String> checked = new ArrayList<>();
        FROM.forEach((fromName, base) -> DECISION.forEach((decisionName, d) -> {
            for (boolean ckpt : List.of(true, false)) {
                if (listed.contains(fromName + "|" + ckpt + "|" + decisionName)) continue;
                AttemptLifecycle from = variant(base, ckpt);
                Transition t = from.apply(d, NOW);
                String as = fromName + (ckpt ? "" : " (no ckpt)") + " + " + decisionName;
                assertThat(t.effects()).as(as).isEmpty();
                assertThat(t.changed()).as(as).isFalse();
                assertThat(t.to()).as(as).isEqualTo(from);
                checked.add(as);
            }
        }));
        assertThat(checked).hasSize(FROM.size() * DECISION.size() * 2 - listed.size());
    }

    @Test
    void aLingerWithoutCapsCapsNothingButStillMarksTheJobCapped() {
        Transition t = FROM.get("running").apply(decision(Action.LINGER, null), NOW);
        assertThat(t.effects()).containsExactly(SET_LINGER_CAPS);
        assertThat(t.caps()).isEqualTo(AttemptLifecycle.NO_CAPS);
    }

    @Test
    void aThawOfALingeringAttemptKeepsItLingeringEvenWithoutCaps() {
        Transition t = FROM.get("lingering").apply(decision(Action.THAW, null), NOW);
        assertThat(t.to().state()).isEqualTo(AttemptState.LINGERING);
        assertThat(t.effects()).isEmpty();
    }

    @Test
    void runTimeCountsRunningAndLingeringButNotFrozenOrLeavingTime() {
        AttemptLifecycle a = AttemptLifecycle.started(T0, true, false);
        a = a.apply(decision(Action.LINGER, CAPS), T0.plusSeconds(60)).to(); // ran 60 s
        a = a.apply(decision(Action.FREEZE, null), T0.plusSeconds(100)).to(); // lingered 40 s
        assertThat(a.ranFor(T0.plusSeconds(1000))).as("frozen time excluded").hasSeconds(100);
        a = a.apply(decision(Action.THAW, null), T0.plusSeconds(1000)).to();
        assertThat(a.ranFor(T0.plusSeconds(1030))).hasSeconds(130);
        AttemptFacts f = a.factsFor(T0.plusSeconds(1030), Duration.ofSeconds(200));
        assertThat(f.state()).isEqualTo(AttemptState.RUNNING);
        assertThat(f.since()).isEqualTo(T0.plusSeconds(1000));
        assertThat(f.ranFor()).hasSeconds(130);
        assertThat(f.remaining()).hasSeconds(70);
        assertThat(f.checkpointable()).isTrue();
        assertThat(a.factsFor(T0.plusSeconds(5000), Duration.ofSeconds(200)).remaining())
                .as("never below zero")
                .isZero();
        assertThat(a.factsFor(T0.plusSeconds(5000), null).remaining()).isNull();
        a = a.apply(decision(Action.CHECKPOINT_AND_VACATE, null), T0.plusSeconds(1100))
                .to();
        assertThat(a.ranFor(T0.plusSeconds(2000))).as("leaving time excluded").hasSeconds(200);
        a = a.apply(decision(Action.KILL, null), T0.plusSeconds(2000)).to();
        assertThat(a.ranFor(T0.plusSeconds(3000))).hasSeconds(200);
    }

    @Test
    void aRepeatedDecisionIsHarmlessAndTheGraceCountsFromTheFirstVacate() {
        AttemptLifecycle a = AttemptLifecycle.started(T0, true, false);
        Transition first = a.apply(decision(Action.CHECKPOINT_AND_VACATE, null), T0.plusSeconds(10));
        Transition again = first.to().apply(decision(Action.CHECKPOINT_AND_VACATE, null), T0.plusSeconds(20));
        assertThat(again.effects()).isEmpty();
        assertThat(again.to().since()).isEqualTo(T0.plusSeconds(10));
        Transition killed = again.to().apply(decision(Action.KILL, null), T0.plusSeconds(30));
        assertThat(killed.to()
                        .apply(decision(Action.KILL, null), T0.plusSeconds(40))
                        .effects())
                .as("killed once")
                .isEmpty();
    }

    @Test
    void aClockThatStepsBackCostsNoRunTime() {
        AttemptLifecycle a = AttemptLifecycle.started(T0, false, false);
        assertThat(a.ranFor(T0.minusSeconds(5))).isZero();
        assertThat(a.apply(decision(Action.FREEZE, null), T0.minusSeconds(5))
                        .to()
                        .ranBefore())
                .isZero();
    }

    private static AttemptLifecycle at(AttemptState s, boolean capped, boolean killed) {
        return new AttemptLifecycle(s, T0, Duration.ofMinutes(3), capped, killed, true, false);
    }

    private static AttemptLifecycle variant(AttemptLifecycle a, boolean checkpointable) {
        return new AttemptLifecycle(
                a.state(), a.since(), a.ranBefore(), a.capped(), a.killed(), checkpointable, a.usesGpu());
    }

    private static Decision decision(Action a, LingerCaps caps) {
        return new Decision(a, List.of("because"), null, caps);
    }
}
