package org.cyphon.core.owner;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How {@link PresenceFusion} reads the signals. Part of the {@code [policy]} section (keys in
 * parentheses), because each preset decides what "the owner is present" means.
 *
 * @param presentWithin      (present_within) owner activity this recent means present
 * @param forgetSilentAfter  (forget_silent_after) state signals (sessions, load, power, exclusive
 *                           apps, GPU) older than this are ignored; null: never. Input times are
 *                           facts about the past and never age out.
 * @param loadHistory        (load_history) how much load history {@link OwnerObservations} keeps;
 *                           bounds every "sustained for" a policy may ask
 * @param ignoredUsers       (ignored_users) sessions of these users are not the owner (the job
 *                           user, monitoring accounts)
 * @param ignoredInhibitors  (ignored_inhibitors) inhibitor holders containing one of these
 *                           (case-insensitive) do not mean someone is watching
 * @param remoteSessions     (remote_sessions) an active SSH/RDP/VNC session counts as presence
 */
public record PresenceSettings(
        Duration presentWithin,
        Duration forgetSilentAfter,
        Duration loadHistory,
        Set<String> ignoredUsers,
        List<String> ignoredInhibitors,
        boolean remoteSessions) {

    public PresenceSettings {
        if (presentWithin.isNegative()) throw new IllegalArgumentException("present_within must not be negative");
        if (loadHistory.isNegative() || loadHistory.isZero())
            throw new IllegalArgumentException("load_history must be positive");
        ignoredUsers = Set.copyOf(ignoredUsers);
        ignoredInhibitors =
                ignoredInhibitors.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** The desktop preset's: present within 60 s, nothing forgotten, 15 min of load history. */
    public static PresenceSettings defaults() {
        return new PresenceSettings(Duration.ofSeconds(60), null, Duration.ofMinutes(15), Set.of(), List.of(), true);
    }

    boolean ignoresInhibitor(String holder) {
        String h = holder.toLowerCase(Locale.ROOT);
        for (String i : ignoredInhibitors) if (h.contains(i)) return true;
        return false;
    }
}
