package org.cyphon.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.agent.desk.DeskCommandClient;
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.DeskVmView;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.text.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the desk's owner may do at their desk without a token, once {@link OwnerSocket} has checked
 * that it is them: claim the whole machine for a while ("I need my whole machine now": every job
 * freezes at once, none starts), end the claim, read their desk VM, and declare themselves away or
 * back (relayed to the coordinator as the desk, which checks they are its owner). Each action is
 * in the desk audit log with the owner's name.
 *
 * <p>A claim is kept in {@code STATE_DIR/owner-claim} so an agent restart keeps it.
 */
final class OwnerActions {
    private static final Logger log = LoggerFactory.getLogger(OwnerActions.class);
    static final String CLAIM_FILE = "owner-claim";
    /** The longest a claim may be: past it, the owner asks again (jobs frozen for days serve no one). */
    static final Duration MAX_CLAIM = Duration.ofHours(12);

    static final Duration DEFAULT_CLAIM = Duration.ofHours(1);

    private final OwnerFirst ownerFirst;
    private final Supplier<DeskVmView> vm;
    private final DeskCommandClient coordinator;
    private final Consumer<DeskEvent> events;
    private final Runnable changed;
    private final Path claimFile;
    private final Clock clock;

    /**
     * @param vm          the desk VM as the agent reads it now; null on a desk without one
     * @param coordinator the agent's line to the coordinator, for away and back
     * @param changed     told after a claim begins or ends (the coordinator should hear at once)
     */
    OwnerActions(
            OwnerFirst ownerFirst,
            Supplier<DeskVmView> vm,
            DeskCommandClient coordinator,
            Consumer<DeskEvent> events,
            Runnable changed,
            Path stateDir,
            Clock clock) {
        this.ownerFirst = ownerFirst;
        this.vm = vm;
        this.coordinator = coordinator;
        this.events = events;
        this.changed = changed;
        this.claimFile = stateDir.resolve(CLAIM_FILE);
        this.clock = clock;
    }

    /** Takes up a claim an earlier agent kept, if it still runs. */
    void resume() {
        if (!Files.exists(claimFile)) return;
        try {
            Instant until = Instant.parse(
                    Files.readString(claimFile, StandardCharsets.US_ASCII).trim());
            if (clock.instant().isBefore(until)) {
                ownerFirst.claim(until);
                log.info("desk: the owner's claim of the whole machine goes on until {}", until);
            } else {
                Files.deleteIfExists(claimFile);
            }
        } catch (IOException | DateTimeParseException e) {
            log.warn("desk: ignoring an unreadable {}: {}", claimFile, e.getMessage());
        }
    }

    OwnerCall.Reply serve(OwnerSocket.Asked asked) {
        OwnerCall.Request r = asked.request();
        try {
            return switch (r.action()) {
                case "claim" -> claim(asked.user(), r.time());
                case "unclaim" -> unclaim(asked.user());
                case "desk-status" -> deskStatus();
                case "away" -> away(asked.user(), r.time(), r.reason());
                case "back" -> back(asked.user());
                default ->
                    OwnerCall.Reply.refused("'" + abbreviate(r.action())
                            + "' is not an owner's action (claim, unclaim, desk-status, away, back)");
            };
        } catch (RuntimeException e) {
            log.error("desk: owner action {} failed", r.action(), e);
            return OwnerCall.Reply.refused("internal error in the agent: " + e);
        }
    }

    private OwnerCall.Reply claim(String user, String time) {
        Duration d;
        try {
            d = time == null || time.isBlank() ? DEFAULT_CLAIM : Durations.parse(time);
        } catch (IllegalArgumentException e) {
            return OwnerCall.Reply.refused("--for: " + e.getMessage());
        }
        if (d.isZero() || d.isNegative()) return OwnerCall.Reply.refused("--for: must be more than 0s");
        if (d.compareTo(MAX_CLAIM) > 0)
            return OwnerCall.Reply.refused("--for: at most " + Durations.asWritten(MAX_CLAIM) + " (ask again then)");
        Instant until = clock.instant().plus(d);
        try {
            if (!Files.exists(claimFile))
                Files.createFile(
                        claimFile,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(claimFile, until.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            log.warn("desk: the claim is not kept across agent restarts: {}", e.getMessage());
        }
        ownerFirst.claim(until);
        changed.run();
        event(
                user,
                "claim",
                Durations.asWritten(d),
                "the whole machine until " + until + ": every job frozen, none starts");
        return new OwnerCall.Reply(
                true,
                "the machine is yours until " + until + ": every job here is frozen and none starts"
                        + " (cyphon claim --end gives it back sooner)",
                null,
                until);
    }

    private OwnerCall.Reply unclaim(String user) {
        Instant was = ownerFirst.claimUntil();
        try {
            Files.deleteIfExists(claimFile);
        } catch (IOException e) {
            log.warn("desk: cannot remove {}: {}", claimFile, e.getMessage());
        }
        ownerFirst.claim(null);
        changed.run();
        if (was == null) return new OwnerCall.Reply(true, "there was no claim: jobs follow the policy", null, null);
        event(user, "claim-ended", "", "given back before " + was + ": jobs follow the policy again");
        return new OwnerCall.Reply(true, "claim ended: jobs here follow the desk's policy again", null, null);
    }

    private OwnerCall.Reply deskStatus() {
        DeskVmView v = vm == null ? null : vm.get();
        if (v == null) return OwnerCall.Reply.refused("this desk has no desk VM ([desk] in agent.toml)");
        return new OwnerCall.Reply(true, "read", v, ownerFirst.claimUntil());
    }

    private OwnerCall.Reply away(String user, String until, String reason) {
        if (until == null || until.isBlank())
            return OwnerCall.Reply.refused("--until: give a date (2026-12-24), a date-time or a duration (3d)");
        try {
            MachineView m = coordinator.ownerAway(user, until, reason);
            String when = m.absence() == null || m.absence().until() == null
                    ? until
                    : m.absence().until().toString();
            event(user, "away", until, "declared away until " + when + (reason == null ? "" : ": " + reason));
            return new OwnerCall.Reply(true, m.name() + ": away until " + when, null, ownerFirst.claimUntil());
        } catch (CoordinatorUnreachableException e) {
            return OwnerCall.Reply.refused("the coordinator cannot be reached now: " + e.getMessage());
        } catch (CoordinatorRefusedException e) {
            return OwnerCall.Reply.refused("the coordinator refused: " + e.getMessage());
        }
    }

    private OwnerCall.Reply back(String user) {
        try {
            MachineView m = coordinator.ownerBack(user);
            event(user, "back", "", "declared back");
            return new OwnerCall.Reply(true, m.name() + ": owner back", null, ownerFirst.claimUntil());
        } catch (CoordinatorUnreachableException e) {
            return OwnerCall.Reply.refused("the coordinator cannot be reached now: " + e.getMessage());
        } catch (CoordinatorRefusedException e) {
            return OwnerCall.Reply.refused("the coordinator refused: " + e.getMessage());
        }
    }

    private void event(String user, String action, String arguments, String message) {
        events.accept(new DeskEvent(
                UUID.randomUUID().toString(), clock.instant(), user, "owner", action, arguments, "ok", message));
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
