package org.cyphon.agent.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a sandbox needs to start one attempt of a job.
 *
 * @param id          unique per attempt, e.g. {@code "j42-a1"}; becomes the cgroup directory name,
 *                    so only letters, digits, '.', '_' and '-' (at most 100, not starting with '.')
 * @param command     argv of the job; passed to the process as separate arguments, never through a
 *                    shell's parser. The program is looked up on the {@code PATH} of {@code env};
 *                    its name may not contain '=' (env(1) applies the environment and would take it
 *                    for a variable)
 * @param env         the complete environment of the job (nothing of the agent's is added); names
 *                    without '=', no NUL anywhere
 * @param workDir     existing directory the job starts in; handed to {@code runAsUser} when set
 * @param stdoutFile  file the job's standard output is appended to (created if missing)
 * @param stderrFile  file the job's standard error is appended to (created if missing)
 * @param cpuMillis   CPUs requested in thousandths; when positive, a cgroup sandbox caps the job at
 *                    that many CPUs (CFS quota) so it cannot crowd out jobs placed beside it; 0 = no cap
 * @param memoryBytes memory limit; a cgroup sandbox enforces it (the kernel OOM-kills beyond it)
 * @param runAsUser   user name to run the job as, or null to keep the agent's user; other than the
 *                    agent's own user this needs the agent to be root
 * @param diskBytes   how much its working directory may hold (the job's {@code --disk}); a job
 *                    past it is stopped and its exit says why, and no single file it writes may
 *                    grow past it (RLIMIT_FSIZE)
 * @param network     {@code "host"} (the desk's network) or {@code "none"} (a private network
 *                    namespace with only a loopback interface)
 * @param sharedPaths shared storage the job uses that its walls would otherwise hide (a path under
 *                    {@code /home}); each is kept visible, like {@code sandbox.share_homes}
 * @param hiddenDevices device nodes the job must not open (GPUs not assigned to it, and the GPU
 *                    driver's control nodes when it has none): denied in its device cgroup where
 *                    the desk has one (cgroup v1), and covered in its mount namespace
 */
public record LaunchSpec(
        String id,
        List<String> command,
        Map<String, String> env,
        Path workDir,
        Path stdoutFile,
        Path stderrFile,
        int cpuMillis,
        long memoryBytes,
        String runAsUser,
        long diskBytes,
        String network,
        List<Path> sharedPaths,
        List<DeviceNode> hiddenDevices) {

    /** The default {@code --disk}: 10 GiB. */
    public static final long DEFAULT_DISK_BYTES = 10L << 30;

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    public LaunchSpec {
        Objects.requireNonNull(id, "id");
        if (!SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("job id '" + id
                    + "' is not usable as a cgroup name: use letters, digits, '.', '_', '-' (at most 100)");
        }
        command = List.copyOf(command);
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("job " + id + ": empty command");
        }
        if (command.get(0).contains("=")) {
            throw new IllegalArgumentException("job " + id + ": program name '" + command.get(0) + "' contains '='");
        }
        for (String arg : command) {
            if (arg.indexOf(0) >= 0) throw new IllegalArgumentException("job " + id + ": NUL in an argument");
        }
        env = Map.copyOf(env);
        env.forEach((k, v) -> {
            if (k.isEmpty() || k.contains("=") || k.indexOf(0) >= 0 || v.indexOf(0) >= 0) {
                throw new IllegalArgumentException("job " + id + ": environment variable '" + k + "' is not valid");
            }
        });
        workDir = workDir.toAbsolutePath();
        stdoutFile = stdoutFile.toAbsolutePath();
        stderrFile = stderrFile.toAbsolutePath();
        if (cpuMillis < 0) throw new IllegalArgumentException("job " + id + ": cpuMillis < 0");
        if (memoryBytes <= 0) throw new IllegalArgumentException("job " + id + ": memoryBytes must be positive");
        if (runAsUser != null && runAsUser.isBlank()) runAsUser = null;
        if (diskBytes <= 0) throw new IllegalArgumentException("job " + id + ": diskBytes must be positive");
        if (network == null) network = "host";
        if (!network.equals("host") && !network.equals("none")) {
            throw new IllegalArgumentException("job " + id + ": network '" + network + "' is not host or none");
        }
        sharedPaths = sharedPaths == null ? List.of() : List.copyOf(sharedPaths);
        for (Path p : sharedPaths)
            if (!p.isAbsolute())
                throw new IllegalArgumentException("job " + id + ": shared path " + p + " is not absolute");
        hiddenDevices = hiddenDevices == null ? List.of() : List.copyOf(hiddenDevices);
    }

    /** A job that needs no shared storage kept visible and may open every device node the desk's permissions let it. */
    public LaunchSpec(
            String id,
            List<String> command,
            Map<String, String> env,
            Path workDir,
            Path stdoutFile,
            Path stderrFile,
            int cpuMillis,
            long memoryBytes,
            String runAsUser,
            long diskBytes,
            String network) {
        this(
                id,
                command,
                env,
                workDir,
                stdoutFile,
                stderrFile,
                cpuMillis,
                memoryBytes,
                runAsUser,
                diskBytes,
                network,
                List.of(),
                List.of());
    }

    /** A job with the default disk limit on the desk's network. */
    public LaunchSpec(
            String id,
            List<String> command,
            Map<String, String> env,
            Path workDir,
            Path stdoutFile,
            Path stderrFile,
            int cpuMillis,
            long memoryBytes,
            String runAsUser) {
        this(
                id,
                command,
                env,
                workDir,
                stdoutFile,
                stderrFile,
                cpuMillis,
                memoryBytes,
                runAsUser,
                DEFAULT_DISK_BYTES,
                "host");
    }

    /** Whether the job gets a private network namespace. */
    public boolean ownNetwork() {
        return network.equals("none");
    }
}
