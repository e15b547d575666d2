package org.cyphon.coordinator.overload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.protocol.OverloadRequest;
import org.cyphon.core.protocol.OverloadView;
import org.cyphon.core.text.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's overload mode: switched on by an admin for a bounded time (at most {@link #MAX}),
 * off by an admin or by itself at its end. Kept in the database, so a coordinator restart keeps it;
 * the current state is also held in memory, because every heartbeat reply carries it.
 */
public final class Overload {
    private static final Logger log = LoggerFactory.getLogger(Overload.class);
    /** The longest an overload may be switched on for: "bounded" means someone must renew it. */
    public static final Duration MAX = Duration.ofHours(24);

    private static final int REASON_MAX = 500;

    private final Database db;
    private final Clock clock;
    private volatile OverloadView latest;

    public Overload(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.latest = db.transactions().read(c -> OverloadTable.latest(c, clock.instant()));
        if (latest.active())
            log.info("overload mode on until {} ({}, by {})", latest.until(), latest.reason(), latest.by());
    }

    /** As it is now: an overload past its end reads as off without anyone writing. */
    public OverloadView current() {
        OverloadView v = latest;
        if (v.active() && !clock.instant().isBefore(v.until())) {
            return new OverloadView(false, v.since(), v.until(), v.reason(), v.by());
        }
        return v;
    }

    /** When the overload ends, for heartbeat replies; null when it is off. */
    public Instant activeUntil() {
        OverloadView v = current();
        return v.active() ? v.until() : null;
    }

    /** @throws ApiError 400 naming {@code until} or {@code reason} when they are missing or out of bounds */
    public OverloadView switchOn(OverloadRequest request, String by) {
        Instant now = clock.instant();
        if (request == null || request.until() == null || request.until().isBlank()) {
            throw ApiError.badField(
                    "until",
                    "required: when the overload ends, as an instant or a duration such as 2h (at most "
                            + Durations.format(MAX) + ")");
        }
        if (request.reason() == null || request.reason().isBlank()) {
            throw ApiError.badField("reason", "required: the people at the desks see why their machines work harder");
        }
        if (request.reason().length() > REASON_MAX)
            throw ApiError.badField("reason", "longer than " + REASON_MAX + " characters");
        Instant until = parseUntil(request.until().strip(), now);
        if (!until.isAfter(now)) throw ApiError.badField("until", "'" + request.until() + "' is not in the future");
        if (until.isAfter(now.plus(MAX))) {
            throw ApiError.badField(
                    "until",
                    "'" + request.until() + "' is more than " + Durations.format(MAX)
                            + " ahead; overload mode is bounded");
        }
        db.transactions().write(c -> {
            OverloadTable.start(c, now, until, request.reason().strip(), by);
            return null;
        });
        latest = new OverloadView(true, now, until, request.reason().strip(), by);
        log.info("overload mode on until {} by {}: {}", until, by, latest.reason());
        return latest;
    }

    /** Ends the overload now; a no-op (but still the current view) when it is off. */
    public OverloadView switchOff(String by) {
        Instant now = clock.instant();
        boolean was = db.transactions().write(c -> OverloadTable.end(c, now, by));
        latest = db.transactions().read(c -> OverloadTable.latest(c, now));
        if (was) log.info("overload mode off by {}", by);
        return current();
    }

    private static Instant parseUntil(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.plus(Durations.parse(text));
            } catch (IllegalArgumentException e) {
                throw ApiError.badField(
                        "until", "'" + text + "' is neither an instant (2026-11-24T18:00:00Z) nor a duration (2h)");
            }
        }
    }
}
