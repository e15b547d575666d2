package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * The desk controller's part of a {@link DeskVmView}: who decides where the VM goes (the keeper's
 * plan or an administrator's hold), what comes next, why a failed desk failed, and the memory the
 * VM holds (taken from what the desk offers to jobs).
 *
 * @param decidedBy     {@code keeper} or {@code admin}
 * @param hold          the administrator's hold in force, or null
 * @param next          what the controller will do next if nothing changes, in a sentence
 * @param nextAt        when, or null when it depends on the owner or an administrator
 * @param failure       why the desk is failed: the VM's exit status and the last lines of its log;
 *                      null unless it failed
 * @param memoryHeldMiB the memory the VM holds now (its balloon target running, what it really has
 *                      paused, nothing saved or stopped)
 */
public record DeskControlView(
        String decidedBy, DeskHoldView hold, String next, Instant nextAt, String failure, Long memoryHeldMiB) {}
