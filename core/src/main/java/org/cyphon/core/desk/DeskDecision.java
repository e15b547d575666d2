package org.cyphon.core.desk;

import java.time.Instant;
import java.util.List;

/**
 * What the desk VM should be doing now, and why.
 *
 * @param target        running, paused or saved
 * @param fullMemory    true: the balloon gives the guest all its memory; false: it is squeezed to
 *                      the configured minimum, the rest handed to jobs
 * @param cpuCap        CPUs the VM is held to (an overload is on and the desk allows it); null: none
 * @param cpuWeight     the VM's CPU weight against other work on the host, in cgroup v2 units
 *                      (1..10000, 100 = a normal process group): high while the owner is at the
 *                      desk, low while the VM idles unattended
 * @param reasons       short sentences for {@code cyphon machine NAME} and the owner's status
 * @param reconsiderAt  when the decision may change with no new signal (an idle threshold passes,
 *                      desk hours begin or end, the overload ends); null: only on a new signal
 */
public record DeskDecision(
        VmTarget target, boolean fullMemory, Double cpuCap, int cpuWeight, List<String> reasons, Instant reconsiderAt) {
    public DeskDecision {
        reasons = List.copyOf(reasons);
    }
}
