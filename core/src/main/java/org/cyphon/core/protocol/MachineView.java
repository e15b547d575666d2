package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.Map;

/**
 * A machine as admins see it. {@code state} is {@code online}, {@code offline} (no heartbeat within
 * the lease) or {@code drained} (online, takes no new work). {@code sandbox} says how jobs are
 * isolated there (e.g. {@code cgroup-v1}, {@code cgroup-v2}, {@code nice-only}) and
 * {@code sandboxNote} why, when it is degraded. {@code criu} is whether transparent checkpointing
 * with CRIU works there ({@code available}, or {@code unavailable: WHY}; null when its agent does
 * not say). {@code vm} is its desk VM as its agent last reported it (null: none). {@code labels}
 * are what jobs can require of it: its agent's (os, arch, gpu, agent.toml's [labels]) overridden by
 * those an admin set, which {@code adminLabels} lists apart. {@code owner} is the user whose desk
 * it is (null: nobody's), {@code absence} a declared or detected absence of that owner now or ahead
 * (null: none), {@code profile} the learned track record (only in {@code GET /machines/{name}};
 * null in listings). A desk that joined while {@code join.approve} is on is {@code pending} (takes no
 * work) until an admin approves it. {@code flags}: where what the machine advertises contradicts what
 * its agent measured at enrollment ({@code advertises 64 cpus, measured 2}); empty: none.
 * {@code joinedWith}: the join secret it enrolled with ({@code enroll.token} for the pool's local token).
 * {@code maxJobs}: most jobs it runs at once ({@code sandbox.max_jobs}; null: its agent does not say);
 * {@code diskFreeBytes}: what its agent last reported free for jobs' work directories (null: not
 * said); {@code walls}: each wall its agent builds around jobs, built or not and why (empty: its
 * agent does not say).
 * {@code power}: asleep or not, the cards it can be woken through and its last wake-up (null when
 * its agent never went to sleep); a sleeping desk's {@code state} is {@code asleep}.
 * {@code gpus}: its GPUs as its agent last reported them, each with the job it is assigned to (empty:
 * none); {@code freeGpus}: how many no live attempt holds, as the scheduler counts them.
 */
public record MachineView(
        String name,
        String state,
        boolean drained,
        double cpus,
        long memoryBytes,
        double freeCpus,
        long freeMemoryBytes,
        int runningAttempts,
        String sandbox,
        String sandboxNote,
        Instant enrolledAt,
        Instant lastHeartbeat,
        String criu,
        DeskView desk,
        DeskVmView vm,
        Map<String, String> labels,
        Map<String, String> adminLabels,
        String owner,
        AbsenceView absence,
        ProfileView profile,
        java.util.List<String> flags,
        String joinedWith,
        Integer maxJobs,
        Long diskFreeBytes,
        java.util.List<WallView> walls,
        PowerView power,
        java.util.List<GpuView> gpus,
        int freeGpus) {

    public MachineView {
        flags = flags == null ? java.util.List.of() : java.util.List.copyOf(flags);
        walls = walls == null ? java.util.List.of() : java.util.List.copyOf(walls);
        gpus = gpus == null ? java.util.List.of() : java.util.List.copyOf(gpus);
    }

    /** The same view with what its agent says of its jobs' room and walls. */
    public MachineView withWalls(Integer jobsAtOnce, Long diskFree, java.util.List<WallView> built) {
        return copy(c -> {
            c.maxJobs = jobsAtOnce;
            c.diskFreeBytes = diskFree;
            c.walls = built;
        });
    }

    /** The same view with its GPUs and how many of them are free. */
    public MachineView withGpus(java.util.List<GpuView> g, int free) {
        return copy(c -> {
            c.gpus = g;
            c.freeGpus = free;
        });
    }

    /** The same view with what identity says of the machine: its flags and the join secret it joined with. */
    public MachineView withIdentity(java.util.List<String> f, String joined) {
        return copy(c -> {
            c.flags = f;
            c.joinedWith = joined;
        });
    }

    /** The same view with the desk's power: its state {@code asleep} while it sleeps. */
    public MachineView withPower(String newState, PowerView p) {
        return copy(c -> {
            c.state = newState;
            c.power = p;
        });
    }

    /** The same view with the track record's owner, absence and profile. */
    public MachineView withTrackRecord(String owner, AbsenceView absence, ProfileView profile) {
        return copy(c -> {
            c.owner = owner;
            c.absence = absence;
            c.profile = profile;
        });
    }

    /** This view with {@code change} applied to a copy of its components. */
    private MachineView copy(java.util.function.Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return c.build();
    }

    /**
     * Every component of a view, settable, so that each {@code with...} names only what it changes;
     * {@link #build()} goes through the canonical constructor, which normalizes the lists.
     */
    private static final class Components {
        String name;
        String state;
        boolean drained;
        double cpus;
        long memoryBytes;
        double freeCpus;
        long freeMemoryBytes;
        int runningAttempts;
        String sandbox;
        String sandboxNote;
        Instant enrolledAt;
        Instant lastHeartbeat;
        String criu;
        DeskView desk;
        DeskVmView vm;
        Map<String, String> labels;
        Map<String, String> adminLabels;
        String owner;
        AbsenceView absence;
        ProfileView profile;
        java.util.List<String> flags;
        String joinedWith;
        Integer maxJobs;
        Long diskFreeBytes;
        java.util.List<WallView> walls;
        PowerView power;
        java.util.List<GpuView> gpus;
        int freeGpus;

        Components(MachineView v) {
            name = v.name;
            state = v.state;
            drained = v.drained;
            cpus = v.cpus;
            memoryBytes = v.memoryBytes;
            freeCpus = v.freeCpus;
            freeMemoryBytes = v.freeMemoryBytes;
            runningAttempts = v.runningAttempts;
            sandbox = v.sandbox;
            sandboxNote = v.sandboxNote;
            enrolledAt = v.enrolledAt;
            lastHeartbeat = v.lastHeartbeat;
            criu = v.criu;
            desk = v.desk;
            vm = v.vm;
            labels = v.labels;
            adminLabels = v.adminLabels;
            owner = v.owner;
            absence = v.absence;
            profile = v.profile;
            flags = v.flags;
            joinedWith = v.joinedWith;
            maxJobs = v.maxJobs;
            diskFreeBytes = v.diskFreeBytes;
            walls = v.walls;
            power = v.power;
            gpus = v.gpus;
            freeGpus = v.freeGpus;
        }

        MachineView build() {
            return new MachineView(
                    name,
                    state,
                    drained,
                    cpus,
                    memoryBytes,
                    freeCpus,
                    freeMemoryBytes,
                    runningAttempts,
                    sandbox,
                    sandboxNote,
                    enrolledAt,
                    lastHeartbeat,
                    criu,
                    desk,
                    vm,
                    labels,
                    adminLabels,
                    owner,
                    absence,
                    profile,
                    flags,
                    joinedWith,
                    maxJobs,
                    diskFreeBytes,
                    walls,
                    power,
                    gpus,
                    freeGpus);
        }
    }
}
