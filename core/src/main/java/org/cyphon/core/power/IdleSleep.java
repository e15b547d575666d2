package org.cyphon.core.power;

import java.time.Duration;
import java.time.Instant;
import org.cyphon.core.owner.Presence;

/**
 * agent.toml's {@code power.suspend_when_idle}: a desk may put itself to sleep once its owner has
 * been away, it has held no attempt and the coordinator has given it nothing, all for {@code after}.
 * A desk that sleeps costs a few watts instead of tens (docs/simulator.md, "Energy"); the
 * coordinator wakes it by Wake-on-LAN when queued work needs it, and the owner by touching it.
 *
 * <p>"Away" is the fused presence's {@link Presence.State#AWAY}: a present owner, an idle
 * inhibitor (a video), a remote session or an exclusive application all keep the desk awake. The
 * quiet time counts from the later of the owner's last activity and {@code quietSince} (when the
 * desk last held work, was started or woke): a desk whose owner left an hour ago but whose last job
 * ended a minute ago sleeps {@code after} from that minute.
 *
 * @param after how long the desk must have been idle and without work; positive
 */
public record IdleSleep(Duration after) {

    public IdleSleep {
        if (after == null || after.isNegative() || after.isZero())
            throw new IllegalArgumentException("suspend_when_idle must be a positive duration, got " + after);
    }

    /**
     * Whether to sleep now.
     *
     * @param sleep         go to sleep now
     * @param reconsiderAt  when to ask again if nothing else happens (null: only on a change of the
     *                      owner's presence or of the desk's work)
     * @param why           one sentence for the log and {@code cyphon machine}
     */
    public record Decision(boolean sleep, Instant reconsiderAt, String why) {}

    /**
     * @param presence   the owner as fused at {@code now}
     * @param attempts   attempts the desk holds (running, frozen, leaving or not yet reported)
     * @param quietSince when the desk last held or was given work, or was started or woke
     */
    public Decision decide(Instant now, Presence presence, int attempts, Instant quietSince) {
        if (attempts > 0) return new Decision(false, null, "holds " + attempts + " attempt(s)");
        Presence p = presence.at(now);
        if (p.state() != Presence.State.AWAY) {
            // Presence by recent input lapses at presentUntil with no new signal: look again then.
            // Ongoing activity (a video, a remote session) and hands-off end only with a signal.
            Instant lapses = p.state() == Presence.State.PRESENT && !p.ongoing() ? p.presentUntil() : null;
            return new Decision(
                    false, lapses, "the owner is " + p.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        // A desk where nobody has ever been seen was idle "forever": only its quiet time counts.
        Instant idleSince = p.nobodySeen() ? quietSince : later(p.idleSince(), quietSince);
        Instant due = idleSince.plus(after);
        if (now.isBefore(due)) return new Decision(false, due, "idle and without work until " + due);
        return new Decision(true, null, "idle and without work for " + text(Duration.between(idleSince, now)));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String text(Duration d) {
        long m = d.toMinutes();
        return m >= 120 ? (m / 60) + " h" : m >= 1 ? m + " min" : d.toSeconds() + " s";
    }
}
