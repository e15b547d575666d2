package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A short spike of the owner's CPU must not freeze everything; sustained demand must; input is immediate. */
class HysteresisTest {
    private final PolicySettings desktop = PolicyPresets.named("desktop");

    @Test
    void aSpikeShorterThanContendForFreezesNothing() {
        DeskScript spikes = new DeskScript().load("12:10:00", "12:10:14", 4.0).load("12:11:00", "12:11:10", 4.0);

        assertThat(new DeskReplay(Policy.of(desktop), spikes).run("12:00", "12:20"))
                .containsExactly("12:00:00 START");
    }

    @Test
    void demandSustainedForContendForFreezes() {
        // Samples above the limit from 12:10:00 through 12:10:15: 15 s counted from the first.
        DeskScript build = new DeskScript().load("12:10:00", "12:10:16", 4.0);

        // The owner is away (idle since 12:00), so work thaws as soon as the demand drops.
        assertThat(new DeskReplay(Policy.of(desktop), build).run("12:00", "12:20"))
                .containsExactly("12:00:00 START", "12:10:15 FREEZE", "12:10:16 THAW");
    }

    @Test
    void aBreakInTheDemandRestartsTheCount() {
        DeskScript choppy = new DeskScript().load("12:10:00", "12:10:10", 4.0).load("12:10:11", "12:10:21", 4.0);

        assertThat(new DeskReplay(Policy.of(desktop), choppy).run("12:00", "12:20"))
                .containsExactly("12:00:00 START");
    }

    @Test
    void contendForIsAKnob() {
        DeskScript spike = new DeskScript().load("12:10:00", "12:10:10", 4.0);
        Policy touchy = Policy.of(desktop.withOverrides(Map.of("contend_for", "5s")));

        assertThat(new DeskReplay(touchy, spike).run("12:00", "12:20"))
                .containsExactly("12:00:00 START", "12:10:05 FREEZE", "12:10:10 THAW");
    }

    @Test
    void whilePresentAFrozenJobWaitsForCalmBeforeLingeringAgain() {
        DeskScript workday = new DeskScript()
                .typing("12:08", "12:30")
                .load("12:10", "12:12", 4.0)
                .load("12:12:30", "12:12:40", 4.0);

        // Build 12:10-12:12 freezes at 12:10:15; a 10 s blip at 12:12:30 restarts the calm count; thaw a minute after
        // it.
        assertThat(new DeskReplay(Policy.of(desktop), workday).run("12:00", "12:20"))
                .containsExactly("12:00:00 START", "12:08:00 LINGER", "12:10:15 FREEZE", "12:13:40 THAW");
    }

    @Test
    void inputIsImmediateWhereItFreezes() {
        DeskScript touch = new DeskScript().typing("12:10:07", "12:10:07");

        assertThat(new DeskReplay(Policy.of(PolicyPresets.named("strict")), touch).run("12:00", "12:12"))
                .containsExactly("12:05:00 START", "12:10:07 FREEZE");
    }
}
