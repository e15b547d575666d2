package org.cyphon.agent.desk;

import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Supplier;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.DeskVmView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one administrator's {@link DeskCommand} on the desk's VM and says what became of it.
 * Never throws: a refusal or a failure is an answer too, and the coordinator records it.
 */
public final class CarryOutDeskCommand {
    private static final Logger log = LoggerFactory.getLogger(CarryOutDeskCommand.class);
    /** What {@code stop} keeps of the administrator's wait for itself: powering off and answering. */
    private static final int STOP_MARGIN_SECONDS = 15;

    private CarryOutDeskCommand() {}

    /** @param view reads the desk after the command, for the answer */
    public static DeskCommandResult run(DeskVm vm, DeskCommand c, Supplier<DeskVmView> view) {
        String png = null;
        String message;
        try {
            switch (c.action()) {
                case "status" -> message = "read";
                case "start" -> {
                    vm.start();
                    message = "started";
                }
                case "stop" -> {
                    Duration grace = Duration.ofSeconds(Math.max(5, c.waitSeconds() - STOP_MARGIN_SECONDS));
                    message = switch (vm.stop(grace)) {
                        case SHUT_DOWN -> "the guest shut down";
                        case POWERED_OFF ->
                            "the guest did not shut down within " + grace.toSeconds() + " s and was powered off";
                        case WAS_STOPPED -> "was already stopped";
                    };
                }
                case "pause" -> {
                    vm.pause();
                    message = "paused";
                }
                case "resume" -> {
                    vm.resume();
                    message = "resumed";
                }
                case "save" -> {
                    vm.save();
                    message = "saved to disk; its memory is free";
                }
                case "restore" -> {
                    vm.restore();
                    message = "restored";
                }
                case "reimage" -> {
                    if (c.undo()) {
                        vm.undoReimage(c.force());
                        message = "reimage undone: the overlay before it is back";
                    } else {
                        vm.reimage(c.force());
                        message =
                                "reimaged from the golden image; the user-data disk is untouched (undo: reimage --undo)";
                    }
                }
                case "screenshot" -> {
                    byte[] image = vm.screenshot();
                    png = Base64.getEncoder().encodeToString(image);
                    message = "screenshot taken (" + image.length + " bytes of PNG)";
                }
                case "poweroff" -> {
                    vm.poweroff(c.discardSavedState());
                    message = c.discardSavedState() ? "powered off; any saved state discarded" : "powered off";
                }
                default -> {
                    return new DeskCommandResult(
                            c.id(),
                            "invalid",
                            "this agent knows no desk action '" + c.action() + "'",
                            view.get(),
                            null);
                }
            }
        } catch (DeskException e) {
            log.info("desk command {} ({}): {}: {}", c.id(), c.action(), e.kind(), e.getMessage());
            return new DeskCommandResult(
                    c.id(), e.kind().name().toLowerCase(Locale.ROOT), e.getMessage(), view.get(), null);
        } catch (RuntimeException e) {
            log.error("desk command {} ({}) failed unexpectedly", c.id(), c.action(), e);
            return new DeskCommandResult(c.id(), "failed", "internal error in the agent: " + e, view.get(), null);
        }
        log.info(
                "desk command {} ({}{}{}): {}",
                c.id(),
                c.action(),
                c.force() ? " --force" : "",
                c.undo() ? " --undo" : "",
                message);
        return new DeskCommandResult(c.id(), "ok", message, view.get(), png);
    }
}
