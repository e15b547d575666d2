package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "I need my whole machine now" ({@code cyphon claim}): every job freezes the moment the owner asks
 * and none starts until the claim ends, whatever the policy would otherwise allow; then work goes on.
 */
class OwnerClaimTest {

    @Test
    void aClaimFreezesWorkEvenUnderThePolicyThatAlwaysRunsAndThawsItWhenItEnds() {
        Policy dedicated = Policy.of(PolicyPresets.named("dedicated"));
        DeskReplay replay = new DeskReplay(dedicated, new DeskScript()).claim("11:30", "12:00");

        List<String> log = replay.run("11:00", "12:30");

        assertThat(log).containsExactly("11:00:00 START", "11:30:00 FREEZE", "12:00:00 THAW");
        assertThat(replay.taken().stream()
                        .filter(t -> t.decision().action() == Action.FREEZE)
                        .findFirst()
                        .orElseThrow()
                        .decision()
                        .reasons())
                .anyMatch(r -> r.contains("the owner asked for the whole machine until"));
    }

    @Test
    void noWorkStartsWhileTheOwnerHoldsTheirMachine() {
        Policy dedicated = Policy.of(PolicyPresets.named("dedicated"));
        DeskReplay replay = new DeskReplay(dedicated, new DeskScript()).claim("10:00", "11:00");

        List<String> log = replay.run("10:30", "11:30");

        assertThat(log).containsExactly("11:00:00 START");
        assertThat(replay.asked().getFirst().decision().allowed()).isFalse();
        assertThat(replay.asked().getFirst().decision().reasons()).anyMatch(r -> r.contains("whole machine"));
    }
}
