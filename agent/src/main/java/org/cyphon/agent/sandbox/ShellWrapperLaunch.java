package org.cyphon.agent.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts a job through a tiny {@code /bin/sh} wrapper that prepares its own process and then
 * {@code exec}s the job, so the job keeps the wrapper's pid and every process it ever forks is
 * born inside the cgroups, with the scheduling attributes already set. Moving the job in from
 * outside after it started would leave a window in which it could fork an escapee.
 *
 * <p>Order, all on the wrapper's own pid ({@code $$}): {@code setsid} (the job gets a session of its
 * own, so a terminal's Ctrl-C to the agent does not reach it and nice-only mode can find its tree),
 * join each cgroup, {@code SCHED_IDLE}, nice 19, idle I/O class, RLIMIT_NICE 0 (sched(7): an
 * unprivileged process may leave SCHED_IDLE or lower its nice value only as far as RLIMIT_NICE
 * allows, so with 0 the job cannot undo any of it), then report {@code ready} on its standard
 * output, a pipe to us, and exec the job, optionally through {@code setpriv} to drop to the job
 * user, with standard output redirected to the job's file.
 *
 * <p>The job's environment is applied last, after the user switch: {@code env -i} starts a shell
 * as the job's user with an empty environment, which reads the variables from its standard input
 * (a pipe from the agent) and execs the job with them and {@code /dev/null} as its input. The
 * wrapper and the tools it runs as root see only {@link #WRAPPER_ENV}: otherwise a job could hand
 * the dynamic loader of a root process its own library ({@code LD_PRELOAD}, {@code LD_AUDIT},
 * ...). The values never appear in any process's arguments, where every local user could read
 * them ({@code ps}, {@code /proc/PID/cmdline}): a job's secret variables travel this way too.
 *
 * <p>The handshake makes {@link Sandbox#start} honest: a failed step comes back as an IOException
 * with the step named, and once {@code ready} is read the job is contained, so an immediate
 * freeze or kill cannot miss it. The job's argv travels as separate arguments ({@code "$@"}) and
 * never becomes shell code.
 */
final class ShellWrapperLaunch {
    /**
     * Positional parameters: stdout file; chrt, renice, ionice, prlimit ("-" = absent); the largest
     * file the job may write in bytes; 1 when the line to exec builds the job's walls
     * ({@link JobWalls}, which then reports ready itself), else 0; N and N cgroup.procs files; then
     * the line to exec: [unshare ...] [setpriv ...] env -i -- sh -c RESTORE_ENV job argv.
     */
    static final String SCRIPT = """
            fail() { echo "error $*"; exit 1; }
            out=$1 chrt=$2 renice=$3 ionice=$4 prlimit=$5 fsize=$6 walled=$7
            shift 7
            n=$1
            shift
            while [ "$n" -gt 0 ]; do
              { echo "$$" > "$1"; } 2>/dev/null || fail "cannot move into cgroup $1"
              shift
              n=$((n - 1))
            done
            if [ "$renice" != - ]; then "$renice" -n 19 -p "$$" >/dev/null 2>&1 || fail "renice 19 failed"; fi
            if [ "$ionice" != - ]; then "$ionice" -c 3 -p "$$" >/dev/null 2>&1 || fail "ionice -c 3 failed"; fi
            if [ "$prlimit" != - ]; then "$prlimit" --nice=0:0 --pid "$$" >/dev/null 2>&1 || fail "prlimit --nice failed"; fi
            if [ "$prlimit" != - ]; then "$prlimit" --fsize="$fsize" --pid "$$" >/dev/null 2>&1 || fail "prlimit --fsize failed"; fi
            # SCHED_IDLE last: the steps above still run at normal priority, so a busy desk
            # does not stall the launch itself (only the job is meant to wait for idle CPU). Inside
            # walls the namespace's shell sets it once its mounts are made, for the same reason.
            if [ "$walled" = 1 ]; then exec "$@"; fi
            if [ "$chrt" != - ]; then "$chrt" --idle -p 0 "$$" >/dev/null 2>&1 || fail "chrt --idle failed"; fi
            echo ready
            exec "$@" >>"$out"
            """;

    /**
     * Run as the job's user with an empty environment: one line per variable on standard input,
     * each {@code v=$(printf 'OCTAL-ESCAPED VALUEx'); export NAME="${v%x}"} (the x keeps trailing
     * newlines from the command substitution), then the job, with nothing left on its input. dash
     * exports PWD of its own accord; {@code env -i} never gave a job one.
     */
    static final String RESTORE_ENV = """
            unset PWD
            while IFS= read -r line; do eval "$line" || exit 126; done
            exec "$@" </dev/null
            """;

    /** All the wrapper's environment: its tools are called by absolute path, so this is for their own children, if any. */
    static final Map<String, String> WRAPPER_ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

    private ShellWrapperLaunch() {}

    /**
     * Launches and waits for the wrapper's {@code ready}.
     *
     * @param userSwitch argv prefix that changes user ({@code setpriv ...}), or empty
     * @param walls      the namespaces to build around the job, or null where they cannot be built
     * @throws IOException naming the step that failed; the wrapper is gone by then
     */
    static Process start(
            SystemTools tools, LaunchSpec spec, List<Path> joinFiles, List<String> userSwitch, JobWalls walls)
            throws IOException {
        if (tools.setsid() == null) throw new IOException("cannot start job " + spec.id() + ": setsid(1) not found");
        if (tools.env() == null) throw new IOException("cannot start job " + spec.id() + ": env(1) not found");
        List<String> argv = new ArrayList<>(List.of(
                tools.setsid().toString(),
                tools.sh().toString(),
                "-c",
                SCRIPT,
                "cyphon-sandbox",
                spec.stdoutFile().toString(),
                orDash(tools.chrt()),
                orDash(tools.renice()),
                orDash(tools.ionice()),
                orDash(tools.prlimit()),
                Long.toString(spec.diskBytes()),
                walls == null ? "0" : "1",
                Integer.toString(joinFiles.size())));
        joinFiles.forEach(f -> argv.add(f.toString()));
        List<String> job = new ArrayList<>(userSwitch);
        job.addAll(List.of(tools.env().toString(), "-i", "--", tools.sh().toString(), "-c", RESTORE_ENV, "cyphon-job"));
        job.addAll(spec.command());
        argv.addAll(walls == null ? job : walls.wrap(spec, job));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(spec.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(
                        ProcessBuilder.Redirect.appendTo(spec.stderrFile().toFile()));
        pb.environment().clear();
        pb.environment().putAll(WRAPPER_ENV);
        Process p = pb.start();
        // Written before the handshake is read: the wrapper reaches its reader only after "ready",
        // which the pipe holds for us meanwhile. A wrapper that failed first closes the pipe: its
        // answer says why, not the write's broken pipe.
        try (OutputStream variables = p.getOutputStream()) {
            variables.write(environmentScript(spec.env()));
        } catch (IOException brokenPipe) {
            // read the wrapper's answer below
        }
        String answer;
        try (InputStream handshake = p.getInputStream()) {
            answer = firstLine(handshake);
        }
        if ("ready".equals(answer)) return p;
        p.destroyForcibly();
        awaitQuietly(p);
        String why = answer == null
                ? "the launch wrapper died before starting it" + (p.isAlive() ? "" : " (status " + p.exitValue() + ")")
                : answer.startsWith("error ")
                        ? answer.substring("error ".length())
                        : "unexpected answer '" + answer + "'";
        throw new IOException("cannot start job " + spec.id() + ": " + why);
    }

    /** The lines {@link #RESTORE_ENV} reads: every byte of a value but letters and digits as an octal escape. */
    static byte[] environmentScript(Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(env).forEach((name, value) -> {
            out.append("v=$(printf '");
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out.append((char) c);
                else out.append('\\').append(String.format(Locale.ROOT, "%03o", c));
            }
            // Names are checked at submit (JobSpecs: letters, digits, underscore), so they need no quoting.
            out.append("x'); export ").append(name).append("=\"${v%x}\"\n");
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the program exists before anything is created, so the common mistake (a typo, a tool not
     * installed) is an IOException from start rather than an exit status 127 minutes later.
     */
    static void requireRunnable(LaunchSpec spec) throws IOException {
        String program = spec.command().get(0);
        if (program.contains("/")) {
            Path p = spec.workDir().resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return;
            throw new IOException("cannot start job " + spec.id() + ": " + p + " is not an executable file");
        }
        String path = spec.env().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = (dir.isEmpty() ? spec.workDir() : spec.workDir().resolve(dir)).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return;
        }
        throw new IOException(
                "cannot start job " + spec.id() + ": command '" + program + "' not found on the job's PATH " + path);
    }

    /** Reads up to the first newline; null on end of stream (the wrapper died). */
    private static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String orDash(Path tool) {
        return tool == null ? "-" : tool.toString();
    }

    private static void awaitQuietly(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
