package org.cyphon.cli;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.cli.client.Display;
import org.cyphon.core.protocol.DeskControlView;
import org.cyphon.core.protocol.DeskHoldView;
import org.cyphon.core.protocol.DeskVmView;

/** How a desk VM reads to people: one word for tables, a short line after an action, a block for status. */
final class DeskStatusText {
    private DeskStatusText() {}

    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z");

    /**
     * {@code running/tcg}, {@code saved/kvm}, {@code stopped}, {@code failed/kvm}: no spaces, for the
     * machines table; {@code running/tcg>saved} while the agent's desk keeper is taking the VM
     * elsewhere; {@code running/tcg(held)} while an administrator's action holds it.
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
        if (moving) cell = cell + ">" + vm.keeperTarget();
        if (vm.control() != null && vm.control().hold() != null) cell = cell + "(held)";
        return cell;
    }

    /**
     * {@code running under tcg}: the state and the accelerator, and why it failed or could not be read;
     * {@code ; held running by admin (resume) until released} while held.
     */
    static String summary(DeskVmView vm) {
        String accel = vm.accel() == null ? "" : " under " + vm.accel();
        DeskControlView c = vm.control();
        String failure = c == null || c.failure() == null ? "" : " (" + c.failure() + ")";
        String held = c == null || c.hold() == null ? "" : "; " + hold(c.hold());
        return vm.state() + accel + (vm.problem() == null ? "" : " (" + vm.problem() + ")") + failure + held;
    }

    /** "held running by admin (resume) until 2026-11-24 15:00:00" (local time), or "... until released". */
    static String hold(DeskHoldView h) {
        return "held " + h.state() + " by " + h.by() + " (" + h.action() + ") until "
                + (h.until() == null ? "released" : Display.time(h.until()));
    }

    /** The controller's sentences, with their instants in local time for people. */
    static String localTimes(String text) {
        if (text == null) return null;
        Matcher m = INSTANT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(Display.time(Instant.parse(m.group()))));
        m.appendTail(out);
        return out.toString();
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
        DeskControlView c = vm.control();
        if (c != null && c.failure() != null) line(out, "failure", c.failure());
        if (c != null && c.decidedBy() != null) {
            line(
                    out,
                    "decided",
                    c.hold() != null
                            ? "by an administrator: " + hold(c.hold()) + " (cyphon desk MACHINE release ends it)"
                            : "by the desk keeper's plan");
        }
        if (c != null && c.next() != null) line(out, "next", localTimes(c.next()));
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
                        + (vm.balloonMiB() == null ? "" : ", " + vm.balloonMiB() + " MiB now (balloon)")
                        + (c == null || c.memoryHeldMiB() == null
                                ? ""
                                : "; holds " + c.memoryHeldMiB() + " MiB of the machine's (not offered to jobs)"));
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
