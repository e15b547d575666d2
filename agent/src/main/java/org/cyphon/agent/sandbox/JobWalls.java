package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespaces around one job, built by util-linux {@code unshare(1)} at the end of the launch
 * wrapper, after the wrapper has joined the cgroups and set the scheduling attributes, and before it
 * drops to the job's user. We use the stock tool rather than a launcher of our own: it is on every
 * Debian/Ubuntu/Fedora desk, it does not depend on the cgroup version, and the agent stays pure Java.
 *
 * <p>{@code unshare --mount --pid --ipc --fork --kill-child --mount-proc [--net]} gives the job:
 * <ul>
 *   <li>a private PID namespace with its own {@code /proc}: it sees only its own processes, so
 *       another job's {@code /proc/PID/environ}, {@code kill} and {@code ptrace} have no target;</li>
 *   <li>a private mount namespace (propagation private) in which {@link #SCRIPT} mounts a fresh
 *       {@code /tmp}, {@code /var/tmp} and {@code /dev/shm} (tmpfs, charged to the job's memory
 *       cgroup, gone when its last process is: nothing a job leaves there reaches the next job) and hides {@code /home} and {@code /root} behind empty directories, except
 *       the homes listed in {@code sandbox.share_homes};</li>
 *   <li>a private IPC namespace: its System V and POSIX IPC objects are its own and die with it;</li>
 *   <li>with {@code network = "none"}, a private network namespace with only {@code lo}.</li>
 *   <li>each of the job's {@link LaunchSpec#hiddenDevices() hidden device nodes} (GPUs not its
 *       own) covered by a bind mount of an empty root-owned file of mode 0000, so opening the path
 *       fails with EACCES. This is the device wall on cgroup v2, whose device controller is a BPF
 *       program the agent cannot attach without native code; on v1 the device cgroup denies the
 *       same nodes by number as well. The job cannot undo it: unmounting needs CAP_SYS_ADMIN in
 *       the namespace's (initial) user namespace, a new user namespace gets the mounts locked, and
 *       making a new node needs CAP_MKNOD there. What it does not cover is another node with the
 *       same number elsewhere on a file system the job can read.</li>
 * </ul>
 *
 * <p>Inside, a root {@code /bin/sh} is PID 1 of the namespace: it makes the mounts, starts the job
 * as its child (so the job keeps ordinary signal semantics: PID 1 ignores signals it has no
 * handler for, a job would not expect that), reports {@code ready}, and exits with the job's
 * status. When it exits the kernel kills whatever is left in the namespace.
 */
final class JobWalls {

    /**
     * Positional parameters: stdout file, work dir, chrt ("-" = absent), N, N shared homes, M, M
     * device nodes to hide, then the line to run. The work dir and the shared homes are bind-mounted to a staging tmpfs before /tmp
     * and the homes are covered, and moved back on top afterwards, so a work dir under /tmp (tests) or under a
     * home keeps its path. The job's stdout is opened before anything is covered.
     */
    static final String SCRIPT = """
            fail() { echo "error $*"; exit 1; }
            out=$1 work=$2 chrt=$3 n=$4
            shift 4
            exec 3>>"$out" || fail "cannot open $out"
            mount -t tmpfs -o mode=0700,size=1m cyphon-stage /dev/shm || fail "cannot mount a private /dev/shm"
            mkdir /dev/shm/work && mount --bind "$work" /dev/shm/work || fail "cannot keep the work dir $work"
            i=0
            while [ "$i" -lt "$n" ]; do
              eval "share$i=\\$1"
              mkdir "/dev/shm/s$i" && mount --bind "$1" "/dev/shm/s$i" || fail "cannot keep the shared home $1"
              shift
              i=$((i + 1))
            done
            m=$1
            shift
            i=0
            while [ "$i" -lt "$m" ]; do
              eval "dev$i=\\$1"
              shift
              i=$((i + 1))
            done
            mount -t tmpfs -o mode=1777,nosuid,nodev cyphon-tmp /tmp || fail "cannot mount a private /tmp"
            if [ -d /var/tmp ]; then mount -t tmpfs -o mode=1777,nosuid,nodev cyphon-var-tmp /var/tmp || fail "cannot mount a private /var/tmp"; fi
            for h in /home /root; do
              if [ -d "$h" ]; then mount -t tmpfs -o mode=0755,size=1m cyphon-hidden "$h" || fail "cannot hide $h"; fi
            done
            i=0
            while [ "$i" -lt "$n" ]; do
              eval "s=\\$share$i"
              mkdir -p "$s" && mount --move "/dev/shm/s$i" "$s" || fail "cannot share $s"
              i=$((i + 1))
            done
            mkdir -p "$work" && mount --move /dev/shm/work "$work" || fail "cannot put back the work dir $work"
            if [ "$m" -gt 0 ]; then
              : > /dev/shm/blocked && chmod 000 /dev/shm/blocked || fail "cannot make the device cover"
              i=0
              while [ "$i" -lt "$m" ]; do
                eval "d=\\$dev$i"
                if [ -e "$d" ]; then mount --bind /dev/shm/blocked "$d" || fail "cannot hide device $d"; fi
                i=$((i + 1))
              done
            fi
            umount /dev/shm && mount -t tmpfs -o mode=1777,nosuid,nodev cyphon-shm /dev/shm || fail "cannot mount a private /dev/shm"
            if command -v ip >/dev/null 2>&1; then ip link set lo up >/dev/null 2>&1; fi
            cd "$work" || fail "cannot enter $work"
            # Idle priority only now: the mounts above ran at normal priority, so a desk whose CPUs
            # are all busy does not hold the launch (and the agent waiting for ready) for seconds.
            if [ "$chrt" != - ]; then "$chrt" --idle -p 0 "$$" >/dev/null 2>&1 || fail "chrt --idle failed"; fi
            # A background list's stdin is /dev/null before its own redirections (POSIX, no job
            # control): fd 4 carries the job's variables (ShellWrapperLaunch.RESTORE_ENV) past that.
            exec 4<&0
            "$@" <&4 4<&- >&3 3>&- &
            job=$!
            exec 3>&- 4<&- </dev/null
            echo ready
            wait "$job"
            """;

    private final SystemTools tools;
    private final List<Path> shareHomes;

    JobWalls(SystemTools tools, List<Path> shareHomes) {
        this.tools = tools;
        this.shareHomes = List.copyOf(shareHomes);
    }

    /** Empty when the walls can be built here; else why not (for the sandbox note). */
    static String missing(SystemTools tools) {
        if (JobUser.currentUid() != 0) return "not root";
        if (tools.unshare() == null) return "unshare(1) not found";
        if (tools.mount() == null) return "mount(8) not found";
        return "";
    }

    /** argv that runs {@code rest} inside the job's namespaces, reporting {@code ready} itself. */
    List<String> wrap(LaunchSpec spec, List<String> rest) throws IOException {
        // The shared homes, and the shared storage this job uses under a hidden directory (the agent
        // checked it is mounted before the launch); one path inside another would be moved twice.
        List<Path> shared = new ArrayList<>(shareHomes);
        for (Path p : spec.sharedPaths()) if (shared.stream().noneMatch(p::startsWith)) shared.add(p);
        List<String> argv = new ArrayList<>(List.of(
                tools.unshare().toString(),
                "--mount",
                "--pid",
                "--ipc",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "--propagation",
                "private"));
        if (spec.ownNetwork()) argv.add("--net");
        argv.addAll(List.of(
                "--",
                tools.sh().toString(),
                "-c",
                SCRIPT,
                "cyphon-walls",
                spec.stdoutFile().toString(),
                spec.workDir().toRealPath().toString(),
                tools.chrt() == null ? "-" : tools.chrt().toString(),
                Integer.toString(shared.size())));
        shared.forEach(h -> argv.add(h.toString()));
        argv.add(Integer.toString(spec.hiddenDevices().size()));
        spec.hiddenDevices().forEach(d -> argv.add(d.path().toString()));
        argv.addAll(rest);
        return argv;
    }

    /**
     * The job's own pid as the agent sees it: the wrapper became {@code unshare}, whose child is the
     * namespace's PID 1 (our shell), whose child is the job.
     */
    static long jobPid(ProcessHandle unshare) {
        return unshare.children()
                .flatMap(ProcessHandle::children)
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElse(unshare.pid());
    }
}
