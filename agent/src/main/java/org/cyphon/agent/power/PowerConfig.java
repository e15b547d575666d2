package org.cyphon.agent.power;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.cyphon.core.text.Durations;

/**
 * {@code [power]} in agent.toml: whether the desk puts itself to sleep when idle, and how.
 *
 * @param suspendWhenIdle {@code suspend_when_idle}: sleep once the owner has been away, no job has
 *                        run and the coordinator has given the desk nothing, for this long; null: never
 * @param how             {@code sleep}: {@code suspend} (to RAM: wakes in seconds) or {@code hibernate}
 *                        (to disk: draws nothing, wakes slower)
 * @param wakeBroadcast   {@code wake_broadcast}: the IPv4 broadcast address(es) the coordinator should
 *                        send this desk's magic packets to, instead of its cards' own (a router's
 *                        forwarded directed broadcast, a relay); empty: the cards' own
 */
public record PowerConfig(Duration suspendWhenIdle, String how, List<String> wakeBroadcast) {
    public static final PowerConfig OFF = new PowerConfig(null, "suspend", List.of());

    public PowerConfig {
        if (how == null) how = "suspend";
        wakeBroadcast = wakeBroadcast == null ? List.of() : List.copyOf(wakeBroadcast);
    }

    public boolean sleeps() {
        return suspendWhenIdle != null;
    }

    /**
     * Reads the table's values as written.
     *
     * @throws IllegalArgumentException naming the key ({@code key 'power.sleep': ...})
     */
    public static PowerConfig parse(String suspendWhenIdle, String sleep, List<String> wakeBroadcast) {
        Duration after = null;
        if (suspendWhenIdle != null && !"off".equalsIgnoreCase(suspendWhenIdle.strip())) {
            try {
                after = Durations.parse(suspendWhenIdle);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "key 'power.suspend_when_idle': '" + suspendWhenIdle + "' is not a duration (30m) or off");
            }
            if (after.toSeconds() < 1)
                throw new IllegalArgumentException("key 'power.suspend_when_idle': at least 1s, or off");
        }
        String how = sleep == null ? "suspend" : sleep.strip().toLowerCase(Locale.ROOT);
        if (!how.equals("suspend") && !how.equals("hibernate"))
            throw new IllegalArgumentException("key 'power.sleep': '" + sleep + "' is not suspend or hibernate");
        List<String> to = wakeBroadcast == null ? List.of() : wakeBroadcast;
        for (String a : to) {
            if (a == null
                    || !a.strip().matches("(\\d{1,3}\\.){3}\\d{1,3}")
                    || java.util.Arrays.stream(a.strip().split("\\.")).anyMatch(p -> Integer.parseInt(p) > 255))
                throw new IllegalArgumentException(
                        "key 'power.wake_broadcast': '" + a + "' is not an IPv4 address (e.g. 10.1.2.255)");
        }
        return new PowerConfig(after, how, to.stream().map(String::strip).toList());
    }
}
