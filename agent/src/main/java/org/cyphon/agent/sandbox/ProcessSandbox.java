package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cyphon.core.protocol.WallView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link Sandbox}: launch through {@link ShellWrapperLaunch}, hold the tree with whatever
 * {@link Containment} the detected kind provides. The kinds differ only in their containment.
 */
final class ProcessSandbox implements Sandbox {
    private static final Logger log = LoggerFactory.getLogger(ProcessSandbox.class);

    /** Makes the containment of one job (a cgroup, or nothing but the session). */
    interface ContainmentFactory {
        Containment create(LaunchSpec spec) throws IOException;
    }

    private final String kind;
    private final String note;
    private final SystemTools tools;
    private final ContainmentFactory containments;
    private final LeftoverGroups leftovers;
    /** The namespaces built around each job, or null where they cannot be (the note says why). */
    private final JobWalls walls;
    /** Each wall, built here or not and why. */
    private final List<WallView> wallViews;

    private final DeviceWall deviceWall;

    /** Finds the containments of job groups already present under our parent. */
    interface LeftoverGroups {
        List<Containment> find() throws IOException;
    }

    ProcessSandbox(
            String kind,
            String note,
            SystemTools tools,
            ContainmentFactory containments,
            LeftoverGroups leftovers,
            JobWalls walls,
            List<WallView> wallViews,
            boolean deviceCgroup) {
        this.walls = walls;
        this.wallViews = List.copyOf(wallViews);
        this.deviceWall = deviceCgroup ? DeviceWall.CGROUP : walls != null ? DeviceWall.MOUNTS : DeviceWall.NONE;
        this.kind = kind;
        this.note = note;
        this.tools = tools;
        this.containments = containments;
        this.leftovers = leftovers;
    }

    @Override
    public int reapLeftovers() {
        int reaped = 0;
        try {
            for (Containment c : leftovers.find()) {
                try {
                    int killed = c.killAll();
                    c.remove();
                    reaped++;
                    log.info("reaped leftover job group {} ({} processes killed)", c.describe(), killed);
                } catch (IOException e) {
                    log.warn("could not reap leftover job group {}: {}", c.describe(), e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("could not list leftover job groups: {}", e.getMessage());
        }
        return reaped;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String note() {
        return note;
    }

    @Override
    public List<WallView> walls() {
        return wallViews;
    }

    @Override
    public DeviceWall deviceWall() {
        return deviceWall;
    }

    @Override
    public RunningJob start(LaunchSpec spec) throws IOException {
        if (!Files.isDirectory(spec.workDir())) {
            throw new IOException(
                    "cannot start job " + spec.id() + ": working directory " + spec.workDir() + " does not exist");
        }
        ShellWrapperLaunch.requireRunnable(spec);
        if (spec.ownNetwork() && walls == null) {
            throw new IOException("cannot start job " + spec.id()
                    + " with network none: this desk cannot build a private network namespace (" + kind + ", "
                    + note + ")");
        }
        JobUser user = otherUser(spec);
        createIfMissing(spec.stdoutFile());
        createIfMissing(spec.stderrFile());
        List<String> userSwitch = List.of();
        if (user != null) {
            user.handOver(spec.workDir(), spec.stdoutFile(), spec.stderrFile());
            userSwitch = user.switchCommand(tools.setpriv());
        }
        Containment containment = containments.create(spec);
        Process process;
        try {
            process = ShellWrapperLaunch.start(tools, spec, containment.joinFiles(), userSwitch, walls);
        } catch (IOException e) {
            try {
                containment.killAll();
                containment.remove();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        containment.started(process.toHandle());
        long jobPid = walls == null ? process.pid() : JobWalls.jobPid(process.toHandle());
        log.info(
                "job {} started: pid {}, {}, {}, user {}, {}",
                spec.id(),
                jobPid,
                kind,
                containment.describe(),
                spec.runAsUser() == null ? "of the agent" : spec.runAsUser(),
                walls == null ? "no namespaces" : "own mount and pid namespaces, network " + spec.network());
        return SandboxedJob.watch(spec, process, jobPid, containment);
    }

    /** The user to switch to, or null when the job runs as the agent's own user. */
    private JobUser otherUser(LaunchSpec spec) throws IOException {
        if (spec.runAsUser() == null) return null;
        JobUser user;
        try {
            user = JobUser.lookup(spec.runAsUser(), tools.getent());
        } catch (IOException e) {
            throw new IOException("cannot start job " + spec.id() + ": " + e.getMessage(), e);
        }
        int me = JobUser.currentUid();
        if (user.uid() == me) return null;
        if (me != 0) {
            throw new IOException("cannot start job " + spec.id() + " as user " + user.name()
                    + ": the agent runs as uid " + me + ", not root");
        }
        if (tools.setpriv() == null) {
            throw new IOException(
                    "cannot start job " + spec.id() + " as user " + user.name() + ": setpriv(1) not found");
        }
        return user;
    }

    private static void createIfMissing(Path file) throws IOException {
        if (Files.exists(file)) return;
        Files.createDirectories(file.getParent());
        // A job's output is its owner's: 0600 from the start, whatever the umask.
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix"))
            Files.createFile(
                    file,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        else Files.createFile(file);
    }
}
