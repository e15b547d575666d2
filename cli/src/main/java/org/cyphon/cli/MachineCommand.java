package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.text.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon machine NAME}: one desk in full — resources, sandbox, and what its agent knows of
 * the person at it: present or away, for how long, whether new work may start, and every reason;
 * then its track record: whose desk it is, any absence, the week-by-hour presence grid and the
 * forecast from now; and its power: asleep or not, the cards it wakes through. {@code --set-owner}
 * (admin) says whose desk it is; {@code --wake} (admin) sends it Wake-on-LAN magic packets.
 */
@Command(
        name = "machine",
        mixinStandardHelpOptions = true,
        description =
                "Show one machine: resources, sandbox, the owner's presence and the reasons for the desk's decisions.")
public final class MachineCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the machine's name")
    String name;

    @Option(names = "--json", description = "Print the API's MachineView JSON (with the profile's numbers).")
    boolean json;

    @Option(names = "--ascii", description = "Shade the presence grid with ASCII characters instead of Unicode blocks.")
    boolean ascii;

    @Option(
            names = "--set-owner",
            paramLabel = "USER",
            description = "Admin: make this USER's desk (\"\" for nobody's), then show it.")
    String setOwner;

    @Option(
            names = "--forget",
            description = "Admin: remove the machine from the pool (audited): its agent gets 401 from now on, its jobs"
                    + " are requeued, and its name is free for a new desk.")
    boolean forget;

    @Option(names = "--approve", description = "Admin: let a pending desk (join.approve) take work, then show it.")
    boolean approve;

    @Option(
            names = "--rotate-credentials",
            description =
                    "Admin: give the machine's agent a new credential at its next heartbeat; the old one then stops"
                            + " working.")
    boolean rotate;

    @Option(
            names = "--wake",
            description = "Admin: send the desk Wake-on-LAN magic packets (to the cards it reported when it last went"
                    + " to sleep), then show it.")
    boolean wake;

    @Override
    protected void checkInput() {
        int actions =
                (forget ? 1 : 0) + (approve ? 1 : 0) + (rotate ? 1 : 0) + (setOwner != null ? 1 : 0) + (wake ? 1 : 0);
        if (actions > 1)
            throw new org.cyphon.cli.client.InvalidInput(
                    "give one of --forget, --approve, --rotate-credentials, --set-owner and --wake at a time");
    }

    @Override
    protected int run(CyphonClient client) {
        if (forget) {
            var r = client.machineIdentity(name, "forget");
            print("machine " + name + " forgotten: its agent can no longer talk to the pool; "
                    + r.path("attemptsLost").asInt() + " running attempt(s) requeued; the name is free\n");
            return 0;
        }
        if (rotate) {
            print(client.machineIdentity(name, "rotate-credentials")
                            .path("rotation")
                            .asText() + "\n");
            return 0;
        }
        if (wake) {
            var r = client.wake(name);
            // It takes the desk a few seconds to resume and beat: what follows is what is known now.
            print("woke " + r.machine() + " (" + r.state() + "): magic packet " + String.join(", ", r.sent()) + "\n");
        }
        if (approve) client.machineIdentity(name, "approve");
        if (setOwner != null) client.setOwner(name, setOwner.isBlank() ? null : setOwner);
        MachineView m = client.machine(name);
        if (json) {
            print(WireJson.pretty(m));
            return 0;
        }
        StringBuilder out = new StringBuilder();
        line(out, "machine", m.name() + " (" + m.state() + (m.drained() ? ", drained" : "") + ")");
        line(out, "cpus", Display.cpus(m.freeCpus()) + " free of " + Display.cpus(m.cpus()));
        line(out, "memory", Display.size(m.freeMemoryBytes()) + " free of " + Display.size(m.memoryBytes()));
        if (!m.gpus().isEmpty())
            line(out, "gpus", m.freeGpus() + " free of " + m.gpus().size());
        for (org.cyphon.core.protocol.GpuView g : m.gpus())
            out.append("  ").append(gpuLine(g)).append('\n');
        line(
                out,
                "jobs",
                m.runningAttempts() + (m.maxJobs() == null ? "" : " of at most " + m.maxJobs() + " (max_jobs)"));
        if (m.diskFreeBytes() != null)
            line(out, "disk", Display.size(m.diskFreeBytes()) + " free for jobs' work directories");
        line(
                out,
                "sandbox",
                m.sandbox()
                        + (m.sandboxNote() == null || m.sandboxNote().isBlank() ? "" : " (" + m.sandboxNote() + ")"));
        if (m.criu() != null) line(out, "criu", m.criu());
        out.append(walls(m));
        if (m.joinedWith() != null) line(out, "joined", "with " + m.joinedWith());
        if (m.state().equals("pending"))
            line(out, "approval", "waiting: cyphon machine " + m.name() + " --approve lets it take work");
        for (String f : m.flags()) line(out, "flag", f + " (advertised vs measured at enrollment)");
        if (m.labels() != null)
            line(
                    out,
                    "labels",
                    org.cyphon.core.machine.Labels.show(m.labels())
                            + (m.adminLabels() == null || m.adminLabels().isEmpty()
                                    ? ""
                                    : " (set by admins: " + org.cyphon.core.machine.Labels.show(m.adminLabels())
                                            + ")"));
        line(out, "last seen", Display.ago(m.lastHeartbeat(), Instant.now()));
        out.append(PowerText.describe(m.power(), Instant.now()));
        if (m.vm() != null)
            line(
                    out,
                    "desk vm",
                    DeskStatusText.summary(m.vm()) + " (" + m.vm().backend() + "; cyphon desk " + m.name()
                            + " status)");
        DeskView d = m.desk();
        if (d == null) {
            line(out, "owner", "unknown (the agent sends no desk view)");
        } else {
            line(
                    out,
                    "owner",
                    d.owner()
                            + (d.nobodySeen()
                                    ? ", nobody seen at this desk"
                                    : ", idle " + Durations.format(java.time.Duration.ofSeconds(d.idleSeconds()))));
            line(out, "new work", (d.mayStart() ? "may start" : "may not start") + " (policy " + d.policy() + ")");
            if (d.power() != null) line(out, "power-off", powerOff(d.power()));
            out.append("why:\n");
            for (String r : d.reasons()) out.append("  - ").append(r).append('\n');
            out.append("sensors:\n");
            for (DeskView.SensorView s : d.sensors()) {
                out.append("  ")
                        .append(String.format("%-8s", s.name()))
                        .append(s.running() ? "running" : s.status())
                        .append('\n');
            }
        }
        out.append(trackRecord(m, ascii || !ProfileGrid.unicodeOk()));
        print(out.toString().stripTrailing() + "\n");
        return 0;
    }

    /**
     * How the desk's agent leaves when the desk goes down: "announced by logind: jobs checkpointed
     * and the desk VM saved within 30 s (logind's InhibitDelayMaxUSec); SIGTERM: within 45 s".
     */
    static String powerOff(DeskView.PowerView p) {
        String stop = "SIGTERM: checkpoint and vacate within "
                + Durations.format(java.time.Duration.ofMillis(p.stopWithinMillis()));
        if (p.announcedBy() == null)
            return "not announced" + (p.problem() == null ? "" : " (" + p.problem() + ")") + "; " + stop;
        String bound = p.delayMaxMillis() == null
                ? "within " + p.announcedBy() + "'s delay"
                : "within " + Durations.format(java.time.Duration.ofMillis(p.delayMaxMillis())) + " (" + p.announcedBy()
                        + "'s InhibitDelayMaxUSec)";
        return "announced by " + p.announcedBy() + ": jobs checkpointed and the desk VM saved " + bound
                + (p.delayLock() ? "; delay lock held" : "; no delay lock: " + p.problem()) + "; " + stop;
    }

    /** Each wall around the desk's jobs, built or not and why (package-private for the rendering tests). */
    static String walls(MachineView m) {
        if (m.walls().isEmpty()) return "walls:     not reported (an older agent)\n";
        int width = m.walls().stream().mapToInt(w -> w.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("walls:\n");
        for (var w : m.walls()) {
            out.append("  ")
                    .append(w.name())
                    .append(" ".repeat(width - w.name().length() + 2))
                    .append(w.built() ? "built: " : "NOT BUILT: ")
                    .append(w.detail())
                    .append('\n');
        }
        return out.toString();
    }

    /** Whose desk, any absence, the week grid and the forecast (package-private for the rendering tests). */
    static String trackRecord(MachineView m, boolean ascii) {
        StringBuilder out = new StringBuilder();
        line(
                out,
                "desk of",
                m.owner() == null
                        ? "nobody (an admin sets it: cyphon machine " + m.name() + " --set-owner USER)"
                        : m.owner());
        line(out, "absence", AbsenceText.describe(m.absence()));
        if (m.profile() != null) {
            out.append('\n').append(ProfileGrid.render(m.profile(), ascii)).append(ProfileGrid.forecast(m.profile()));
        }
        return out.toString();
    }

    /** "0 NVIDIA GeForce RTX 3060 12G GPU-5d3c... busy 37% job 12" (package-private for the rendering tests). */
    static String gpuLine(org.cyphon.core.protocol.GpuView g) {
        return g.index() + " " + g.name()
                + (g.memoryBytes() > 0 ? " " + Display.size(g.memoryBytes()) : "")
                + " " + g.uuid()
                + (g.busyFraction() == null ? "" : " busy " + Math.round(g.busyFraction() * 100) + "%")
                + (g.jobId() == null ? " free" : " job " + g.jobId());
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-10s %s%n", key + ":", value));
    }
}
