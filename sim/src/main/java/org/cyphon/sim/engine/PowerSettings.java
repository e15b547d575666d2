package org.cyphon.sim.engine;

import java.time.Duration;

/**
 * How the simulated desks' power behaves (issue 14; docs/simulator.md, "Power").
 *
 * @param shutdownDelay   how long a desk switching off waits for its agent: logind's
 *                        {@code InhibitDelayMaxSec}, raised by the agent's package to 30 s. Within it
 *                        every checkpointable attempt is asked to checkpoint; one whose checkpoint
 *                        ({@code --checkpoint-cost}) fits in the delay leaves with all its work, the
 *                        others lose what their last checkpoint did not save. Zero: shutdowns are not
 *                        announced (a power cut, or an agent without the inhibitor), and every attempt
 *                        loses what its last periodic checkpoint did not save.
 * @param suspendWhenIdle agent.toml's {@code power.suspend_when_idle}: a desk whose owner is away and
 *                        that had no work for this long sleeps (core's {@code IdleSleep}); null: off
 * @param maxAwake        coordinator.toml's {@code power.max_awake}: Wake-on-LAN wake-ups per hour,
 *                        for the whole pool
 * @param resumeTime      from the magic packet to the desk taking work again (resume, reconnect, beat)
 * @param watts           what a desk draws awake, asleep and off
 */
public record PowerSettings(
        Duration shutdownDelay, Duration suspendWhenIdle, int maxAwake, Duration resumeTime, Watts watts) {

    /**
     * A desk's draw, in watts, by state; the same whatever it computes (load adds to the awake figure
     * on a real machine: not modelled, so harvesting is not charged for its own energy).
     * Defaults: the ENERGY STAR computer specification 4.0 (US EPA, Tier 1, July 2007) limits for an
     * office desktop (category A): idle at most 50 W, sleep at most 4 W, off at most 2 W.
     */
    public record Watts(double awake, double asleep, double off) {
        public Watts {
            if (!(awake >= 0) || !(asleep >= 0) || !(off >= 0))
                throw new IllegalArgumentException("watts must not be negative");
        }

        public static Watts energyStar4() {
            return new Watts(50, 4, 2);
        }
    }

    public PowerSettings {
        if (shutdownDelay == null || shutdownDelay.isNegative())
            throw new IllegalArgumentException("the shutdown delay must not be negative");
        if (suspendWhenIdle != null && (suspendWhenIdle.isNegative() || suspendWhenIdle.isZero()))
            throw new IllegalArgumentException("suspend_when_idle must be positive (or off)");
        if (maxAwake < 0) throw new IllegalArgumentException("max_awake must not be negative");
        if (resumeTime == null || resumeTime.isNegative())
            throw new IllegalArgumentException("the resume time must not be negative");
        if (watts == null) watts = Watts.energyStar4();
    }

    /**
     * Shutdowns announced with the agent's default delay (30 s), desks never sleeping; when they do,
     * at most 20 wake-ups an hour, each taking 30 s.
     */
    public static PowerSettings defaults() {
        return new PowerSettings(Duration.ofSeconds(30), null, 20, Duration.ofSeconds(30), Watts.energyStar4());
    }

    public boolean announced() {
        return !shutdownDelay.isZero();
    }

    public boolean sleeps() {
        return suspendWhenIdle != null;
    }

    public PowerSettings withShutdownDelay(Duration d) {
        return new PowerSettings(d, suspendWhenIdle, maxAwake, resumeTime, watts);
    }

    public PowerSettings withSuspendWhenIdle(Duration d) {
        return new PowerSettings(shutdownDelay, d, maxAwake, resumeTime, watts);
    }
}
