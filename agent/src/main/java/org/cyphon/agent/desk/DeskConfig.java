package org.cyphon.agent.desk;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.Function;
import org.cyphon.core.desk.DeskPlanSettings;
import org.cyphon.core.policy.WeeklyWindow;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * The agent's desk VM, from the {@code [desk]} table of {@code agent.toml}: what the VM is
 * ({@link DeskSpec}), which backend runs it, and where its run-time files live.
 *
 * @param spec       the VM
 * @param backend    QEMU directly (default) or libvirt
 * @param libvirtUri the libvirt connection for the libvirt backend ({@code qemu:///system} by default)
 * @param stateDir   the desk's state directory: QMP and serial sockets, saved state, {@code desk.json}
 * @param table      the table as written, to derive the desk again for another name or state directory
 * @param plan       how the VM follows its owner: desk hours, pause and save after idle, overload floor
 */
public record DeskConfig(
        DeskSpec spec, DeskBackend backend, String libvirtUri, Path stateDir, DeskTable table, DeskPlanSettings plan) {
    static final String DEFAULT_LIBVIRT_URI = "qemu:///system";
    static final String DEFAULT_HOURS = "mon-fri 07:00-20:00";

    /**
     * Checks and converts the table. Files are not looked at here: the golden image may live on a
     * mount that comes later, and every start and reimage checks them again ({@link DeskSpec#checkFiles}).
     *
     * @param machine       the agent's machine name, the desk's name unless {@code name} is set
     * @param agentStateDir the agent's state directory; the desk's lives in its {@code desk/}, and
     *                      the overlay defaults to {@code desk/overlay.qcow2} there
     * @throws IllegalArgumentException in AgentConfigLoader's form: {@code key 'desk.KEY': problem}
     */
    public static DeskConfig parse(DeskTable t, String machine, Path agentStateDir) {
        Path stateDir = agentStateDir.toAbsolutePath().resolve("desk");
        required("golden_image", t.golden_image());
        required("user_data", t.user_data());
        long memoryMax = t.memory_max() != null ? mib("memory_max", t.memory_max()) : 4096;
        long memoryMin = t.memory_min() != null ? mib("memory_min", t.memory_min()) : Math.max(32, memoryMax / 2);
        DeskSpec.KernelBoot boot = null;
        if (t.kernel() != null) {
            boot = new DeskSpec.KernelBoot(
                    path("kernel", t.kernel()), t.initrd() == null ? null : path("initrd", t.initrd()), t.cmdline());
        } else if (t.initrd() != null || t.cmdline() != null) {
            throw bad(t.initrd() != null ? "initrd" : "cmdline", "needs 'kernel' (direct kernel boot)");
        }
        DeskBackend backend =
                t.backend() == null ? DeskBackend.QEMU : convert("backend", t.backend(), DeskBackend::parse);
        if (t.libvirt_uri() != null && backend != DeskBackend.LIBVIRT) {
            throw bad("libvirt_uri", "applies only to backend = \"libvirt\"");
        }
        if (backend == DeskBackend.LIBVIRT
                && t.display() != null
                && !t.display().strip().equalsIgnoreCase("none")) {
            throw bad(
                    "display",
                    "the libvirt backend has no desk session display yet: use backend = \"qemu\" for a desk"
                            + " session (libvirt's QEMU user cannot make the socket in the session user's directory)");
        }
        String uri = t.libvirt_uri() != null ? t.libvirt_uri().trim() : DEFAULT_LIBVIRT_URI;
        if (!uri.matches("[a-z0-9+]+://[^\\s]*"))
            throw bad("libvirt_uri", "'" + uri + "' is not a libvirt URI (e.g. qemu:///system)");
        try {
            DeskSpec spec = new DeskSpec(
                    t.name() != null ? t.name() : machine,
                    path("golden_image", t.golden_image()),
                    t.overlay() != null ? path("overlay", t.overlay()) : stateDir.resolve("overlay.qcow2"),
                    path("user_data", t.user_data()),
                    t.vcpus() != null ? t.vcpus() : 2,
                    memoryMax,
                    memoryMin,
                    display(t, agentStateDir),
                    t.network() != null
                            ? convert("network", t.network(), DeskSpec.Network::parse)
                            : DeskSpec.Network.USER,
                    t.accel() != null ? convert("accel", t.accel(), Accel::parse) : Accel.AUTO,
                    boot);
            return new DeskConfig(spec, backend, uri, stateDir, t, plan(t));
        } catch (InvalidDeskSpecException e) {
            // The spec names its own fields; display_port is written inside 'display' here.
            String key = e.field().equals("display_port") ? "display" : e.field();
            throw bad(key, e.problem());
        }
    }

    /**
     * The same table for an agent whose name or state directory was changed on the command line
     * ({@code cyphon agent --name --state-dir}): the defaults that follow from them follow too.
     */
    public DeskConfig forAgent(String machine, Path agentStateDir) {
        return parse(table, machine, agentStateDir);
    }

    /**
     * Where the guest's input reports arrive ({@link DeskFiles#presenceSocket()}), or null when this
     * backend gives the guest no such channel (libvirt's VMs do not have it yet).
     */
    public Path presenceSocket() {
        return backend == DeskBackend.QEMU ? new DeskFiles(stateDir).presenceSocket() : null;
    }

    /**
     * Desk hours {@code mon-fri 07:00-20:00} by default, so a desk saves its VM at night and on
     * weekends unless told otherwise ({@code hours = "off"}: every hour is a desk hour, the VM is
     * only ever paused). No overload floor unless one is set: capping the owner's VM is opt-in.
     */
    private static DeskPlanSettings plan(DeskTable t) {
        WeeklyWindow hours = t.hours() == null
                ? WeeklyWindow.parse(DEFAULT_HOURS)
                : t.hours().strip().equalsIgnoreCase("off") ? null : convert("hours", t.hours(), WeeklyWindow::parse);
        ZoneId zone = t.time_zone() == null
                ? ZoneId.systemDefault()
                : convert("time_zone", t.time_zone(), z -> {
                    try {
                        return ZoneId.of(z.strip());
                    } catch (java.time.DateTimeException e) {
                        throw new IllegalArgumentException("'" + z + "' is not a time zone (e.g. Europe/Paris)");
                    }
                });
        Duration ahead = t.restore_ahead() == null
                ? Duration.ofMinutes(30)
                : convert("restore_ahead", t.restore_ahead(), Durations::parse);
        Duration pause = t.pause_after_idle() == null
                ? Duration.ofMinutes(15)
                : convert("pause_after_idle", t.pause_after_idle(), Durations::parse);
        Duration save = t.save_after_idle() == null
                ? Duration.ofMinutes(30)
                : convert("save_after_idle", t.save_after_idle(), Durations::parse);
        Double floor = null;
        if (t.overload_cpu_floor() != null && !t.overload_cpu_floor().strip().equalsIgnoreCase("off")) {
            floor = convert("overload_cpu_floor", t.overload_cpu_floor(), f -> {
                try {
                    return Double.parseDouble(f.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + f + "' is not a number of CPUs (e.g. 0.5) or off");
                }
            });
        }
        try {
            return new DeskPlanSettings(hours, zone, ahead, pause, save, floor);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String key = m.startsWith("save_after_idle")
                    ? "save_after_idle"
                    : m.startsWith("overload_cpu_floor")
                            ? "overload_cpu_floor"
                            : m.startsWith("restore_ahead") ? "restore_ahead" : "pause_after_idle";
            throw bad(key, m);
        }
    }

    /**
     * {@code display} with {@code session_user}, {@code display_dir} and {@code monitors}. The display
     * directory defaults to {@code /run/cyphon-desk/USER} for an agent run as root (the desk session
     * finds it there by its user's name), else to {@code STATE_DIR/desk-display}.
     */
    private static DeskSpec.Display display(DeskTable t, Path agentStateDir) {
        DeskSpec.DisplayKind kind =
                t.display() == null ? DeskSpec.DisplayKind.NONE : convert("display", t.display(), DeskConfig::kind);
        if (kind == DeskSpec.DisplayKind.NONE) {
            for (String key : new String[] {"session_user", "display_dir", "monitors"}) {
                boolean set = switch (key) {
                    case "session_user" -> t.session_user() != null;
                    case "display_dir" -> t.display_dir() != null;
                    default -> t.monitors() != null;
                };
                if (set) throw bad(key, "applies only to display = \"spice\"");
            }
            return DeskSpec.Display.none();
        }
        String user = t.session_user() != null ? t.session_user().strip() : System.getProperty("user.name");
        Path dir = t.display_dir() != null
                ? path("display_dir", t.display_dir())
                : "root".equals(System.getProperty("user.name"))
                        ? Path.of(DEFAULT_DISPLAY_PARENT, user)
                        : agentStateDir.toAbsolutePath().resolve("desk-display");
        return DeskSpec.Display.spice(dir, user, t.monitors() != null ? t.monitors() : 1);
    }

    /** Where a root agent keeps each session user's display directory: {@code /run/cyphon-desk/USER}. */
    public static final String DEFAULT_DISPLAY_PARENT = "/run/cyphon-desk";

    /** {@code none} or {@code spice}; the TCP displays of before are refused, saying why. */
    static DeskSpec.DisplayKind kind(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("none")) return DeskSpec.DisplayKind.NONE;
        if (s.equals("spice")) return DeskSpec.DisplayKind.SPICE;
        if (s.startsWith("vnc") || s.startsWith("spice:")) {
            throw new IllegalArgumentException("'" + text
                    + "' is a TCP port, which any local process (a cluster job too) could connect to: write"
                    + " display = \"spice\" (a UNIX socket only the desk session's user can reach, see"
                    + " docs/desk-session.md)");
        }
        throw new IllegalArgumentException("'" + text + "' is not one of none, spice");
    }

    private static long mib(String key, String size) {
        long bytes = convert(key, size, Sizes::parse);
        if (bytes % (1L << 20) != 0)
            throw bad(key, "'" + size + "' is not a whole number of MiB (write e.g. 4G or 1536M)");
        return bytes >> 20;
    }

    private static Path path(String key, String text) {
        if (text.isBlank()) throw bad(key, "is empty");
        Path p = Path.of(text);
        if (!p.isAbsolute()) throw bad(key, "'" + text + "' is not an absolute path");
        return p.normalize();
    }

    private static void required(String key, String value) {
        if (value == null) throw bad(key, "missing: a desk needs it");
    }

    private static <T> T convert(String key, String text, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String key, String problem) {
        return new IllegalArgumentException("key 'desk." + key + "': " + problem);
    }
}
