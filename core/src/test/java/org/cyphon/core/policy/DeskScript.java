package org.cyphon.core.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.cyphon.core.owner.ExclusiveAppsSeen;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.PowerSeen;
import org.cyphon.core.owner.SessionInfo;
import org.cyphon.core.owner.SessionsSeen;

/**
 * A scripted stretch of one desk's week, written the way one tells it ("types 12:20 to 12:50,
 * compiles 12:30 to 12:33") and turned into the signals real sensors would send: an evdev event
 * every 5 s while typing and one at its end, a load sample every second, a logind report at every session change.
 * Times are UTC on the week of Monday 3 March 2025: "12:00" is Monday, "sat 12:00" Saturday.
 */
final class DeskScript {
    static final LocalDate MONDAY = LocalDate.of(2025, 3, 3);

    private record Span(Instant from, Instant to, double value, String label) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    private final List<Span> typing = new ArrayList<>();
    private final List<Span> videos = new ArrayList<>();
    private final List<Span> ssh = new ArrayList<>();
    private final List<Span> battery = new ArrayList<>();
    private final List<Span> exclusive = new ArrayList<>();
    private final List<Span> load = new ArrayList<>();
    private final List<Span> memoryPressure = new ArrayList<>();
    private double baseCpus = 0.2;
    private double cores = 4;
    private Duration typingEvery = Duration.ofSeconds(5);
    private Duration loadEvery = Duration.ofSeconds(1);

    /** "12:00", "12:00:05", "sat 12:00", "tue 07:00" in the week of {@link #MONDAY}, UTC. */
    static Instant at(String when) {
        String[] parts = when.trim().split("\\s+");
        LocalDate day = MONDAY;
        if (parts.length == 2) {
            DayOfWeek d = null;
            for (DayOfWeek x : DayOfWeek.values())
                if (x.name().toLowerCase(Locale.ROOT).startsWith(parts[0].toLowerCase(Locale.ROOT))) d = x;
            day = MONDAY.with(TemporalAdjusters.nextOrSame(d));
        }
        return day.atTime(LocalTime.parse(parts[parts.length - 1])).toInstant(ZoneOffset.UTC);
    }

    /**
     * An office day: the owner types until noon, leaves, comes back typing at 12:20, compiles
     * 12:30-12:33, has a 10 s CPU spike at 12:40, watches a video with no input 12:50-13:10, is
     * logged in over SSH 13:20-13:30, the laptop is on battery 13:40-13:50, a game runs 14:00-14:30.
     */
    static DeskScript officeDay() {
        return new DeskScript()
                .typing("11:00", "12:00")
                .typing("12:20", "12:50")
                .load("12:30", "12:33", 4.0)
                .load("12:40:00", "12:40:10", 4.0)
                .video("12:50", "13:10")
                .ssh("13:20", "13:30")
                .battery("13:40", "13:50")
                .exclusive("14:00", "14:30", "steam");
    }

    DeskScript typing(String from, String to) {
        typing.add(span(from, to, 0, null));
        return this;
    }

    /** Input events this far apart while typing (default 5 s). */
    DeskScript typingEvery(Duration every) {
        typingEvery = every;
        return this;
    }

    /** A video playing: its player holds an idle inhibitor; no input meanwhile unless scripted. */
    DeskScript video(String from, String to) {
        videos.add(span(from, to, 0, "mpv: video playing"));
        return this;
    }

    DeskScript ssh(String from, String to) {
        ssh.add(span(from, to, 0, "ssh"));
        return this;
    }

    DeskScript battery(String from, String to) {
        battery.add(span(from, to, 0, null));
        return this;
    }

    DeskScript exclusive(String from, String to, String app) {
        exclusive.add(span(from, to, 0, app));
        return this;
    }

    /** The owner uses this many CPUs from {@code from} (inclusive) to {@code to} (exclusive). */
    DeskScript load(String from, String to, double cpus) {
        load.add(span(from, to, cpus, null));
        return this;
    }

    DeskScript memoryPressure(String from, String to, double percent) {
        memoryPressure.add(span(from, to, percent, null));
        return this;
    }

    /** Load samples this far apart (default 1 s, as the agent's sensor); longer keeps long replays quick. */
    DeskScript loadEvery(Duration every) {
        loadEvery = every;
        return this;
    }

    /** The owner's CPUs when nothing is scripted (default 0.2). */
    DeskScript baseLoad(double cpus) {
        baseCpus = cpus;
        return this;
    }

    DeskScript cores(double n) {
        cores = n;
        return this;
    }

    double cores() {
        return cores;
    }

    /** The signals from {@code from} to {@code to} inclusive, in time order (stable for equal times). */
    List<OwnerSignal> signals(Instant from, Instant to) {
        List<OwnerSignal> out = new ArrayList<>();
        TreeSet<Instant> changes = new TreeSet<>();
        changes.add(from);
        for (List<Span> spans : List.of(videos, ssh, battery, exclusive)) {
            for (Span s : spans) {
                changes.add(s.from);
                changes.add(s.to);
            }
        }
        for (Instant t : changes) {
            if (t.isBefore(from) || t.isAfter(to)) continue;
            out.add(sessionsAt(t));
            out.add(new PowerSeen("upower", t, any(battery, t) != null, any(battery, t) != null ? 60 : 100));
            Span app = any(exclusive, t);
            out.add(new ExclusiveAppsSeen("procs", t, app == null ? List.of() : List.of(app.label)));
        }
        for (Span s : typing) {
            TreeSet<Instant> keys = new TreeSet<>();
            for (Instant t = s.from; t.isBefore(s.to); t = t.plus(typingEvery)) keys.add(t);
            keys.add(s.to); // the last key press is at the end of the typing
            for (Instant t : keys)
                if (!t.isBefore(from) && !t.isAfter(to)) out.add(new InputSeen("evdev:/dev/input/event3", t, t));
        }
        for (Instant t = from; !t.isAfter(to); t = t.plus(loadEvery)) {
            Span l = any(load, t);
            Span m = any(memoryPressure, t);
            out.add(new LoadSeen("proc", t, l == null ? baseCpus : l.value, cores, 1.0, m == null ? 0 : m.value, 0.5));
        }
        out.sort(Comparator.comparing(OwnerSignal::at));
        return out;
    }

    private SessionsSeen sessionsAt(Instant t) {
        List<SessionInfo> sessions = new ArrayList<>();
        // The owner's graphical session, which (like many desktops) never sets an idle hint.
        sessions.add(new SessionInfo("2", "alice", "wayland", false, true, false, null));
        if (any(ssh, t) != null) sessions.add(new SessionInfo("7", "alice", "ssh", true, true, false, null));
        Span video = any(videos, t);
        return new SessionsSeen("logind", t, sessions, video == null ? List.of() : List.of(video.label));
    }

    private static Span any(List<Span> spans, Instant t) {
        for (Span s : spans) if (s.covers(t)) return s;
        return null;
    }

    private static Span span(String from, String to, double value, String label) {
        return new Span(at(from), at(to), value, label);
    }
}
