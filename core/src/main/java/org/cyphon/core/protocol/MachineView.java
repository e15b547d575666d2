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

    /** A view without job slots, free disk, walls or GPUs. */
    public MachineView(
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
            String joinedWith) {
        this(
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
                null,
                null,
                null,
                null,
                null,
                0);
    }

    /** The same view with what its agent says of its jobs' room and walls. */
    public MachineView withWalls(Integer jobsAtOnce, Long diskFree, java.util.List<WallView> built) {
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
                jobsAtOnce,
                diskFree,
                built,
                power,
                gpus,
                freeGpus);
    }

    /** The same view with its GPUs and how many of them are free. */
    public MachineView withGpus(java.util.List<GpuView> g, int free) {
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
                g,
                free);
    }

    /** A view without flags. */
    public MachineView(
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
            ProfileView profile) {
        this(
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
                null,
                null);
    }

    /** The same view with what identity says of the machine: its flags and the join secret it joined with. */
    public MachineView withIdentity(java.util.List<String> f, String joined) {
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
                f,
                joined,
                maxJobs,
                diskFreeBytes,
                walls,
                power,
                gpus,
                freeGpus);
    }

    /** The same view with the desk's power: its state {@code asleep} while it sleeps. */
    public MachineView withPower(String newState, PowerView p) {
        return new MachineView(
                name,
                newState,
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
                p,
                gpus,
                freeGpus);
    }

    /** A view without the track record (owner, absence, profile). */
    public MachineView(
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
            Map<String, String> adminLabels) {
        this(
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
                null,
                null,
                null);
    }

    /** A view without labels or the track record. */
    public MachineView(
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
            DeskVmView vm) {
        this(
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
                null,
                null,
                null,
                null,
                null);
    }

    /** The same view with the track record's owner, absence and profile. */
    public MachineView withTrackRecord(String owner, AbsenceView absence, ProfileView profile) {
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

    /** A view of a machine without a desk VM. */
    public MachineView(
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
            DeskView desk) {
        this(
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
                null);
    }

    /** A view without desk information. */
    public MachineView(
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
            String criu) {
        this(
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
                null);
    }

    /** A view without CRIU information. */
    public MachineView(
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
            Instant lastHeartbeat) {
        this(
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
                null);
    }
}
