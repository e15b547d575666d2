package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

/**
 * The property every policy's {@code reconsiderAt} must have, checked on every decision a replay
 * took: deciding again at that instant, with no new signal, changes the decision, and deciding just
 * before it does not; with no {@code reconsiderAt}, nothing changes later either.
 */
final class ReconsiderAt {
    private ReconsiderAt() {}

    /** @return how many decisions were checked */
    static int holdsFor(Policy policy, DeskReplay replay) {
        int checked = 0;
        for (DeskReplay.Taken t : replay.taken()) {
            if (t.changedState()) continue; // the replay applied it and decided again at once
            PolicyInput in = t.input();
            Decision d = t.decision();
            Instant r = d.reconsiderAt();
            if (r == null) {
                for (Duration later : new Duration[] {Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1)}) {
                    assertThat(policy.decide(in.at(in.now().plus(later))).action())
                            .as("%s at %s has no reconsiderAt, yet changes %s later", d.action(), in.now(), later)
                            .isEqualTo(d.action());
                }
            } else {
                assertThat(r)
                        .as("reconsiderAt of %s at %s", d.action(), in.now())
                        .isAfter(in.now());
                assertThat(policy.decide(in.at(r)).action())
                        .as("%s at %s says reconsider at %s, but nothing changes then", d.action(), in.now(), r)
                        .isNotEqualTo(d.action());
                Instant before = r.minusMillis(1);
                if (before.isAfter(in.now())) {
                    assertThat(policy.decide(in.at(before)).action())
                            .as("%s at %s changes before its reconsiderAt %s", d.action(), in.now(), r)
                            .isEqualTo(d.action());
                }
            }
            checked++;
        }
        for (DeskReplay.AskedToStart a : replay.asked()) {
            StartDecision d = a.decision();
            Instant r = d.reconsiderAt();
            if (r == null) {
                Instant later = a.now().plus(Duration.ofHours(1));
                assertThat(policy.mayStart(later, a.presence().at(later), replay.machine())
                                .allowed())
                        .as("start at %s has no reconsiderAt, yet changes", a.now())
                        .isEqualTo(d.allowed());
            } else {
                assertThat(policy.mayStart(r, a.presence().at(r), replay.machine())
                                .sameAnswer(d))
                        .as("start (%s) at %s says reconsider at %s, but nothing changes then", d.allowed(), a.now(), r)
                        .isFalse();
                Instant before = r.minusMillis(1);
                if (before.isAfter(a.now())) {
                    assertThat(policy.mayStart(before, a.presence().at(before), replay.machine())
                                    .sameAnswer(d))
                            .as("start (%s) at %s changes before its reconsiderAt %s", d.allowed(), a.now(), r)
                            .isTrue();
                }
            }
            checked++;
        }
        return checked;
    }
}
