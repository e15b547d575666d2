package org.cyphon.cli;

import java.time.Instant;
import java.util.List;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.MachineList;
import org.cyphon.core.protocol.MachineView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cyphon machines}: the pool, one row per desktop, like {@code condor_status}. */
@Command(
        name = "machines",
        mixinStandardHelpOptions = true,
        description =
                "List the machines of the pool: state, free/total CPUs, memory and GPUs, jobs, sandbox, last heartbeat.")
public final class MachinesCommand extends ApiCommand {
    @Option(names = "--json", description = "Print the API's MachineList JSON instead of the table.")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        MachineList list = client.machines();
        if (json) {
            print(WireJson.pretty(list));
            return 0;
        }
        Instant now = Instant.now();
        // Never invisible: while it is on, overload mode heads every listing of the pool.
        if (list.overload() != null && list.overload().active())
            print(OverloadCommand.describe(list.overload(), now) + "\n");
        print(table(list.machines() == null ? List.of() : list.machines(), now).render());
        return 0;
    }

    /** The machines table as of {@code now} (package-private for the formatting tests). */
    static Table table(List<MachineView> machines, Instant now) {
        // A DESK column (the desk VM's state/accelerator) only in pools that have desk VMs.
        boolean desks = machines.stream().anyMatch(m -> m.vm() != null);
        // A LABELS column (what jobs can --require) once agents report labels.
        boolean labels = machines.stream()
                .anyMatch(m -> m.labels() != null && !m.labels().isEmpty());
        List<String> headers = new java.util.ArrayList<>(
                desks
                        ? List.of("NAME", "STATE", "OWNER", "DESK", "CPUS", "MEMORY", "JOBS", "SANDBOX", "LAST SEEN")
                        : List.of("NAME", "STATE", "OWNER", "CPUS", "MEMORY", "JOBS", "SANDBOX", "LAST SEEN"));
        // A GPUS column (free/total) once any machine reports a GPU.
        boolean gpus = machines.stream().anyMatch(m -> !m.gpus().isEmpty());
        int gpuColumn = headers.indexOf("MEMORY") + 1;
        if (gpus) headers.add(gpuColumn, "GPUS");
        if (labels) headers.add("LABELS");
        // A FLAGS column once any machine advertises more than its agent measured at enrollment.
        boolean flags = machines.stream().anyMatch(m -> !m.flags().isEmpty());
        if (flags) headers.add("FLAGS");
        int cpus = headers.indexOf("CPUS");
        Table t = new Table(headers.toArray(String[]::new))
                .alignRight(cpus, cpus + 1, cpus + 2, gpus ? cpus + 3 : cpus + 2);
        for (MachineView m : machines) {
            List<Object> row = new java.util.ArrayList<>(java.util.Arrays.asList(
                    m.name(),
                    m.state(),
                    owner(m),
                    Display.cpus(m.freeCpus()) + "/" + Display.cpus(m.cpus()),
                    Display.size(m.freeMemoryBytes()) + "/" + Display.size(m.memoryBytes()),
                    m.runningAttempts(),
                    sandbox(m),
                    Display.ago(m.lastHeartbeat(), now)));
            if (desks) row.add(3, DeskStatusText.cell(m.vm()));
            if (gpus)
                row.add(
                        gpuColumn,
                        m.gpus().isEmpty() ? "-" : m.freeGpus() + "/" + m.gpus().size());
            if (labels) row.add(org.cyphon.core.machine.Labels.show(m.labels()));
            if (flags) row.add(m.flags().isEmpty() ? "-" : "! " + String.join("; ", m.flags()));
            t.row(row.toArray());
        }
        return t;
    }

    /** "away 2h05m", "present", "hands_off"; "-" when the agent sends no desk view; any absence after it. */
    static String owner(MachineView m) {
        String absence = m.absence() == null ? "" : " (" + AbsenceText.cell(m.absence()) + ")";
        if (m.desk() == null) return "-" + absence;
        String o = m.desk().owner();
        if (!"away".equals(o)) return o + absence;
        // A headless desk (no input device, display or session) has never seen anyone: away for good.
        if (m.desk().nobodySeen()) return "away, nobody seen" + absence;
        return "away "
                + org.cyphon.core.text.Durations.format(
                        java.time.Duration.ofSeconds(m.desk().idleSeconds()))
                + absence;
    }

    /** "cgroup-v2", or "nice-only (no cgroup delegation)" when the agent says why it is degraded. */
    private static String sandbox(MachineView m) {
        if (m.sandbox() == null) return null;
        boolean hasNote = m.sandboxNote() != null && !m.sandboxNote().isBlank();
        return hasNote ? m.sandbox() + " (" + m.sandboxNote().strip() + ")" : m.sandbox();
    }
}
