package org.cyphon.coordinator.desk;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.coordinator.machines.DeskReports;
import org.cyphon.coordinator.machines.ReadMachines;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.text.Durations;

/**
 * One administrator's desk action, from the request to the answer: checks it may happen (an admin,
 * a known machine that is online and has a desk VM), puts it on record, queues it for the machine's
 * agent and waits, bounded, for the agent to carry it out.
 *
 * <p>Every request that got past authentication is on record, refused ones included (a user's
 * token, a machine without a desk): an audit log that only lists what succeeded hides exactly the
 * attempts worth noticing. The one exception is a read that is allowed ({@code status}): it changes
 * nothing, and a log full of reads drowns the actions.
 *
 * <p>Who may: an admin, any action; the desk's owner (a user token whose name is the machine's
 * owner), {@code status} of their own desk.
 */
final class RunDeskAction {
    /** The agent carried the action out; its answer. {@code auditId} is negative for a read (not on record). */
    record Done(long auditId, DeskCommandResult result) {}

    /**
     * What an action was given besides its name.
     *
     * @param holdFor           start, resume, restore, pause, save: hold the VM for this long; null: until released
     * @param discardSavedState poweroff: a saved desk's state may be thrown away
     */
    record Options(boolean force, boolean undo, Duration holdFor, boolean discardSavedState) {
        static final Options NONE = new Options(false, false, null, false);

        String arguments() {
            return ((force ? "--force " : "")
                            + (undo ? "--undo " : "")
                            + (holdFor == null ? "" : "--for " + Durations.asWritten(holdFor) + " ")
                            + (discardSavedState ? "--discard-saved-state" : ""))
                    .strip();
        }
    }

    /** Ids of reads, which are not in the audit log: negative, so they never meet an audit id. */
    private final AtomicLong readIds = new AtomicLong();

    private final DeskAuditLog audit;
    private final DeskCommandQueue queue;
    private final ReadMachines machines;
    private final DeskReports reports;

    RunDeskAction(DeskAuditLog audit, DeskCommandQueue queue, ReadMachines machines, DeskReports reports) {
        this.audit = audit;
        this.queue = queue;
        this.machines = machines;
        this.reports = reports;
    }

    /**
     * @throws ApiError 403 not an admin; 404 no such machine; 400 a bad argument or the agent found
     *                  one; 409 offline, no desk VM, or refused by the agent in the desk's state;
     *                  502 the desk failed; 504 no answer in time
     */
    Done run(Principal who, String machine, DeskAction action, Options o) {
        String arguments = o.arguments();
        ApiError refusal = refusal(who, machine, action, o);
        if (refusal != null) {
            audit.refused(who, machine, action.wireName(), arguments, refusal.getMessage());
            throw refusal;
        }
        long id = action.read() ? readIds.decrementAndGet() : audit.begin(who, machine, action.wireName(), arguments);
        CompletableFuture<DeskCommandResult> answer = queue.send(
                machine,
                new DeskCommand(
                        id,
                        action.wireName(),
                        o.force(),
                        o.undo(),
                        action.waitSeconds,
                        o.holdFor() == null ? null : o.holdFor().toSeconds(),
                        who.name(),
                        o.discardSavedState()));
        DeskCommandResult result;
        try {
            result = answer.get(action.waitSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw noAnswer(machine, action, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.giveUp(machine, id);
            if (id > 0)
                audit.finish(
                        id,
                        machine,
                        DeskAuditTable.UNKNOWN,
                        "the coordinator stopped waiting (shutting down): the action may or may not have happened");
            throw new ApiError(
                    503,
                    "the coordinator is shutting down; see 'cyphon desk " + machine
                            + " audit' for what became of action " + id,
                    null);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a desk answer never fails: " + e.getCause(), e.getCause());
        }
        // The answer route has recorded the result already, before handing it over.
        return switch (result.outcome()) {
            case "ok" -> new Done(id, result);
            case "refused" -> throw new ApiError(409, machine + ": " + result.message(), null);
            case "invalid" -> throw new ApiError(400, machine + ": " + result.message(), null);
            default -> throw new ApiError(502, machine + ": the desk failed: " + result.message(), null);
        };
    }

    private ApiError refusal(Principal who, String machine, DeskAction action, Options o) {
        MachineView m;
        try {
            m = machines.show(machine);
        } catch (ApiError notFound) {
            if (!who.admin()) return notAllowed(who, action, null);
            return notFound;
        }
        boolean owner = who.role() == Role.USER && who.name().equals(m.owner());
        if (!who.admin() && !(owner && action.read())) return notAllowed(who, action, m.owner());
        if ((o.force() || o.undo()) && action != DeskAction.REIMAGE) {
            return ApiError.badField(o.force() ? "force" : "undo", "applies only to reimage");
        }
        if (o.holdFor() != null && !action.holds()) {
            return ApiError.badField(
                    "for", "applies only to start, resume, restore, pause and save (the actions that hold)");
        }
        if (o.discardSavedState() && action != DeskAction.POWEROFF) {
            return ApiError.badField("discard-saved-state", "applies only to poweroff");
        }
        if (m.state().equals("asleep")) {
            return new ApiError(
                    409,
                    "machine '" + machine + "' is asleep: desk actions reach a desk through its agent; wake it first"
                            + " (cyphon machine " + machine + " --wake)",
                    null);
        }
        if (m.state().equals("offline")) {
            return new ApiError(
                    409,
                    "machine '" + machine + "' is offline (its agent has not been heard from within the lease): "
                            + "desk actions reach a desk through its agent",
                    null);
        }
        if (reports.vmOf(machine) == null) {
            return new ApiError(
                    409,
                    "machine '" + machine + "' has no desk VM: its agent.toml has no [desk] section "
                            + "(or its agent predates desk VMs, or has not beaten since the coordinator started)",
                    null);
        }
        return null;
    }

    private static ApiError notAllowed(Principal who, DeskAction action, String owner) {
        String you = who.role().name().toLowerCase(Locale.ROOT) + " '" + who.name() + "'";
        return new ApiError(
                403,
                action.read()
                        ? "a desk's status is for an admin token or its owner's own (you are " + you
                                + (owner == null ? "; this desk has no owner" : "; it is " + owner + "'s desk") + ")"
                        : "desk actions need an admin token (you are " + you + ")",
                null);
    }

    private ApiError noAnswer(String machine, DeskAction action, long id) {
        if (id < 0) {
            // A read is not on record: only withdraw it, and say so.
            boolean withdrawn = queue.giveUp(machine, id);
            return new ApiError(
                    504,
                    "machine '" + machine + "': its agent "
                            + (withdrawn
                                    ? "did not pick the " + action.wireName() + " up within " + action.waitSeconds
                                            + " s; it was withdrawn and will not happen"
                                    : "took the " + action.wireName() + " but has not answered within "
                                            + action.waitSeconds + " s; it may still finish"),
                    null);
        }
        if (queue.giveUp(machine, id)) {
            audit.finish(
                    id,
                    machine,
                    "failed",
                    "the agent did not fetch the command within " + action.waitSeconds
                            + " s (is it hung?); it was withdrawn");
            return new ApiError(
                    504,
                    "machine '" + machine + "': its agent did not pick the " + action.wireName() + " up within "
                            + action.waitSeconds + " s; it was withdrawn and will not happen",
                    null);
        }
        audit.finish(
                id,
                machine,
                DeskAuditTable.UNKNOWN,
                "no answer from the agent within " + action.waitSeconds + " s; it may still finish");
        return new ApiError(
                504,
                "machine '" + machine + "': its agent took the " + action.wireName() + " but has not answered within "
                        + action.waitSeconds + " s; it may still finish: see 'cyphon desk " + machine
                        + " audit' (action " + id + ")",
                null);
    }
}
