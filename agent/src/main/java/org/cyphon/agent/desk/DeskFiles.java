package org.cyphon.agent.desk;

import java.nio.file.Path;

/**
 * The files of one desk in its state directory, which outlives the agent: the VM process keeps
 * running across an agent restart and the next agent finds it again through these.
 *
 * <p>Unix socket paths are limited to 107 bytes by the kernel, hence the short names and the check
 * in {@link QemuDeskVm}.
 */
record DeskFiles(Path dir) {
    /** QEMU's QMP socket. */
    Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    /** The guest's first serial port, as a socket anyone on the host may attach to (one at a time). */
    Path serialSocket() {
        return dir.resolve("serial.sock");
    }

    /** Everything the guest wrote to its serial port since QEMU started. */
    Path serialLog() {
        return dir.resolve("serial.log");
    }

    /** QEMU's pid, written by QEMU itself once it runs. */
    Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    /** QEMU's own messages while it starts (after daemonizing it writes nowhere). */
    Path qemuLog() {
        return dir.resolve("qemu.log");
    }

    /**
     * QEMU's exit status, written by the shell that waits for it (whether or not an agent runs):
     * how a VM that died is told from one that shut down.
     */
    Path exitStatus() {
        return dir.resolve("qemu.exit");
    }

    /** The saved guest (memory and device state) between save and restore. */
    Path savedState() {
        return dir.resolve("saved.state");
    }

    /** Where a save writes before the state is complete and renamed to {@link #savedState()}. */
    Path savedStatePartial() {
        return dir.resolve("saved.state.partial");
    }

    /** What the agent knows of the VM: pid, accelerator, CPU cap, when it was saved. */
    Path record() {
        return dir.resolve("desk.json");
    }

    /** The QEMU guest agent's channel in the guest (virtio-serial {@code org.qemu.guest_agent.0}); root's only. */
    Path guestAgentSocket() {
        return dir.resolve("qga.sock");
    }

    /**
     * The guest's input reports (virtio-serial {@code org.cyphon.presence.0}): the guest tools write a
     * line whenever the guest sees input from any device, including devices that bypass the host's
     * input stack (SPICE USB redirection). Root's only, like the directory: a job writing here would
     * pass for the owner.
     */
    Path presenceSocket() {
        return dir.resolve("input.sock");
    }

    /**
     * A second QMP monitor for root's own tools: the agent holds {@link #qmpSocket()} for as long as
     * it runs, and QEMU serves one client per monitor.
     */
    Path adminQmpSocket() {
        return dir.resolve("qmp-admin.sock");
    }

    /**
     * Written at every start: {@link #MACHINE_WITH_INPUT_CHANNEL} when the VM has the devices
     * {@link QemuCommandLine} adds last (the guest's input channel). A saved state without it was made
     * by an earlier agent's machine, and is restored into that same machine.
     */
    Path machineShape() {
        return dir.resolve("machine");
    }

    static final String MACHINE_WITH_INPUT_CHANNEL = "input-channel";

    /** The longest socket file name above: what the kernel's limit on socket paths is checked against. */
    static final String LONGEST_SOCKET_NAME = "qmp-admin.sock";

    /** QEMU's copy of this start's SPICE password, deleted once QEMU has read it ({@link DeskDisplay}). */
    Path spiceSecret() {
        return dir.resolve("spice.secret");
    }

    /** QMP screendump's output, read and deleted at once. */
    Path screendump() {
        return dir.resolve("screen.ppm");
    }
}
