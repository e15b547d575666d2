package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.cli.client.Display;
import org.cyphon.core.protocol.DeskVmView;

/** How a desk VM reads to people: one word for tables, a short line after an action, a block for status. */
final class DeskStatusText {
    private DeskStatusText() {}

    /**
     * {@code running/tcg}, {@code saved/kvm}, {@code stopped}: no spaces, for the machines table;
     * {@code running/tcg>saved} while the agent's desk keeper is taking the VM elsewhere.
     */
    static String cell(DeskVmView vm) {
        if (vm == null) return null;
        String cell = vm.state() + (vm.accel() == null ? "" : "/" + vm.accel());
        boolean moving = vm.keeperTarget() != null
                && !vm.keeperTarget().equals(vm.state())
                && ("running".equals(vm.state())
                        || "paused".equals(vm.state())
                        || "saved".equals(vm.state())
                        || "restoring".equals(vm.state()));
        return moving ? cell + ">" + vm.keeperTarget() : cell;
    }

    /** {@code running under tcg (tcg, since ...)}: the state and the accelerator with its reason. */
    static String summary(DeskVmView vm) {
        String accel = vm.accel() == null ? "" : " under " + vm.accel();
        return vm.state() + accel + (vm.problem() == null ? "" : " (" + vm.problem() + ")");
    }

    /** Every field worth reading, aligned like {@code cyphon machine NAME}. */
    static String details(String machine, DeskVmView vm, Instant now) {
        StringBuilder out = new StringBuilder();
        line(out, "desk", vm.name() + " on " + machine + " (" + vm.backend() + " backend)");
        line(
                out,
                "state",
                vm.state()
                        + (vm.hypervisorState() == null
                                ? ""
                                : " (" + vm.backend() + ": " + vm.hypervisorState() + ")"));
        if (vm.problem() != null) line(out, "problem", vm.problem());
        line(
                out,
                "accel",
                vm.accel() == null
                        ? "not chosen yet (at the first start)"
                        : vm.accel() + (vm.accelReason() == null ? "" : " — " + vm.accelReason()));
        if (vm.pid() != null)
            line(
                    out,
                    "process",
                    "pid " + vm.pid() + (vm.startedAt() == null ? "" : ", started " + Display.time(vm.startedAt())));
        if (vm.savedAt() != null)
            line(out, "saved", Display.time(vm.savedAt()) + " (" + Display.ago(vm.savedAt(), now) + ")");
        line(
                out,
                "vcpus",
                vm.vcpus()
                        + (vm.cpuCapCores() == null
                                ? ", no cap"
                                : ", capped at " + Display.cpus(vm.cpuCapCores()) + " cores"));
        if (vm.cpuWeight() != null) line(out, "weight", vm.cpuWeight() + " (cpu weight; 100 = a normal process group)");
        if (vm.keeperTarget() != null)
            line(out, "keeper", "taking the VM to " + vm.keeperTarget() + " (agent's desk schedule)");
        line(
                out,
                "memory",
                vm.memoryMaxMiB() + " MiB"
                        + (vm.balloonMiB() == null ? "" : ", " + vm.balloonMiB() + " MiB now (balloon)"));
        if (vm.cpuSeconds() != null)
            line(out, "cpu used", String.format(java.util.Locale.ROOT, "%.1f s", vm.cpuSeconds()));
        line(out, "display", vm.display());
        if (vm.serialConsole() != null) line(out, "console", vm.serialConsole());
        line(out, "overlay", vm.overlay() + (vm.undoAvailable() ? " (a reimage can be undone)" : ""));
        if (vm.cgroup() != null) line(out, "cgroup", vm.cgroup());
        if (vm.observedAt() != null) line(out, "read", Display.ago(vm.observedAt(), now));
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-9s %s%n", key + ":", value));
    }
}
