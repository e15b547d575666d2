package org.cyphon.coordinator.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.lifecycle.MachinePresence;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.schedule.RunningAttempt;

/**
 * The machines and what their live attempts use, in memory, so a scheduling pass builds its offers
 * without a query. Rebuilt from the store; updated by {@link Fact}s. Used by the scheduling thread only.
 */
final class MachineLoad {
    /**
     * {@code accepting}: the desk's own policy lets new work start (the owner is away, it is night...);
     * {@code gpuAccepting}: and new GPU work (the owner is not using the GPU).
     * {@code maxJobs}, {@code diskFree}: what its agent last said (null: never said, no limit).
     * {@code ownNetwork}: its walls include a network of a job's own (null: never said, so no).
     * {@code asleep}: its agent put it to sleep; no work until it is heard from again.
     * {@code gpus}: how many GPUs it has, free or not.
     */
    private record Known(
            int cpuMillis,
            long memoryBytes,
            boolean drained,
            long lastContact,
            boolean accepting,
            Map<String, String> labels,
            Integer maxJobs,
            Long diskFree,
            Boolean ownNetwork,
            int gpus,
            boolean gpuAccepting,
            boolean asleep) {
        Known with(boolean newDrained, Map<String, String> newLabels, boolean asleepNow) {
            return new Known(
                    cpuMillis,
                    memoryBytes,
                    newDrained,
                    lastContact,
                    accepting,
                    newLabels,
                    maxJobs,
                    diskFree,
                    ownNetwork,
                    gpus,
                    gpuAccepting,
                    asleepNow);
        }
    }

    /**
     * A live attempt, with what fair share, runtime learning and preemption need to know of its job.
     *
     * @param checkpointable the job can checkpoint (it declared an interval, or "auto"), so it may be
     *                       preempted by checkpoint-and-vacate
     * @param diskBytes      the disk its job's {@code --disk} reserves on the machine (0: none)
     * @param gpus           GPUs of its machine it holds
     */
    record Live(
            long token,
            long jobId,
            int attemptNo,
            String machine,
            int cpuMillis,
            long memoryBytes,
            long startedAt,
            String owner,
            String name,
            int priority,
            boolean checkpointable,
            long diskBytes,
            int gpus) {}

    private final Map<String, Known> machines = new HashMap<>();
    private final Map<Long, Live> live = new HashMap<>();
    /** Machine -> {cpuMillis, memoryBytes, live attempts, disk reserved by --disk requests, gpus}. */
    private final Map<String, long[]> used = new HashMap<>();

    private int checkpointable;

    /** {@code labels}, {@code maxJobs}, {@code diskFree}, {@code ownNetwork}: null keeps what is known. */
    void seen(
            String name,
            int cpuMillis,
            long memoryBytes,
            long at,
            boolean accepting,
            Map<String, String> labels,
            Integer maxJobs,
            Long diskFree,
            Boolean ownNetwork,
            int gpus,
            boolean gpuAccepting) {
        Known k = machines.get(name);
        boolean drained = k != null && k.drained();
        long last = k == null ? at : Math.max(at, k.lastContact());
        Map<String, String> l = labels != null ? Map.copyOf(labels) : k == null ? Map.of() : k.labels();
        // A beat: whatever slept is awake now.
        Integer slots = maxJobs != null ? maxJobs : k == null ? null : k.maxJobs();
        Long disk = diskFree != null ? diskFree : k == null ? null : k.diskFree();
        Boolean network = ownNetwork != null ? ownNetwork : k == null ? null : k.ownNetwork();
        machines.put(
                name,
                new Known(
                        cpuMillis,
                        memoryBytes,
                        drained,
                        last,
                        accepting,
                        l,
                        slots,
                        disk,
                        network,
                        gpus,
                        gpuAccepting,
                        false));
    }

    void drained(String name, boolean drained) {
        Known k = machines.get(name);
        if (k != null) machines.put(name, k.with(drained, k.labels(), k.asleep()));
    }

    void asleep(String name) {
        Known k = machines.get(name);
        if (k != null) machines.put(name, k.with(k.drained(), k.labels(), true));
    }

    void forgotten(String name) {
        machines.remove(name);
    }

    void labelled(String name, Map<String, String> labels) {
        Known k = machines.get(name);
        if (k != null) machines.put(name, k.with(k.drained(), Map.copyOf(labels), k.asleep()));
    }

    void started(Live a) {
        if (live.put(a.token(), a) != null) return;
        long[] u = used.computeIfAbsent(a.machine(), m -> new long[5]);
        u[0] += a.cpuMillis();
        u[1] += a.memoryBytes();
        u[2]++;
        u[3] += a.diskBytes();
        u[4] += a.gpus();
        if (a.checkpointable()) checkpointable++;
    }

    /** @return the attempt that ended, or null if it was not known live */
    Live ended(long token) {
        Live l = live.remove(token);
        if (l == null) return null;
        long[] u = used.get(l.machine());
        u[0] -= l.cpuMillis();
        u[1] -= l.memoryBytes();
        u[2]--;
        u[3] -= l.diskBytes();
        u[4] -= l.gpus();
        if (u[2] <= 0) used.remove(l.machine());
        if (l.checkpointable()) checkpointable--;
        return l;
    }

    Live live(long token) {
        return live.get(token);
    }

    void replaceAll(Collection<MachineRow> rows, Collection<Live> liveAttempts) {
        Map<String, Known> old = new HashMap<>(machines);
        machines.clear();
        live.clear();
        used.clear();
        checkpointable = 0;
        for (MachineRow m : rows) {
            // Heartbeats are not written to memory only: the row's time is the truth, but a fact may be newer.
            Known k = old.get(m.name());
            long last = k == null ? m.lastContact() : Math.max(m.lastContact(), k.lastContact());
            // What a beat told us after the row was read is newer than the row.
            boolean newer = k != null && k.lastContact() > m.lastContact();
            machines.put(
                    m.name(),
                    new Known(
                            m.cpuMillis(),
                            m.memoryBytes(),
                            m.closed(),
                            last,
                            k == null || k.accepting(),
                            m.labels(),
                            (newer && k.maxJobs() != null) ? k.maxJobs() : m.maxJobs(),
                            (newer && k.diskFree() != null) ? k.diskFree() : m.diskFreeBytes(),
                            (newer && k.ownNetwork() != null) ? k.ownNetwork() : ownNetwork(m),
                            m.gpus().size(),
                            k == null || k.gpuAccepting(),
                            m.asleep()));
        }
        for (Live a : liveAttempts) started(a);
    }

    /** What its stored walls say of a network of a job's own; null when its agent never said. */
    private static Boolean ownNetwork(MachineRow m) {
        if (m.wallsJson() == null) return null;
        return org.cyphon.core.protocol.WallView.ownNetwork(
                org.cyphon.coordinator.store.StoredJson.readWalls(m.wallsJson()));
    }

    /**
     * What each online, undrained, accepting machine can take now: its resources less its live
     * attempts', its job slots ({@code max_jobs}) less its live attempts, its free disk less what
     * their {@code --disk} requests reserve, with its labels. Full machines are offered too (with
     * nothing free), so placement can weigh preempting what runs there.
     */
    List<Offer> offers(long now, long leaseMillis) {
        List<Offer> out = new ArrayList<>();
        for (var e : machines.entrySet()) {
            Known k = e.getValue();
            if (k.drained()
                    || k.asleep()
                    || !k.accepting()
                    || !MachinePresence.online(k.lastContact(), now, leaseMillis)) continue;
            long[] u = used.getOrDefault(e.getKey(), new long[5]);
            int freeCpu = (int) Math.max(0, k.cpuMillis() - u[0]);
            long freeMem = Math.max(0, k.memoryBytes() - u[1]);
            int freeSlots = k.maxJobs() == null ? Offer.UNLIMITED_SLOTS : (int) Math.max(0, k.maxJobs() - u[2]);
            long freeDisk = k.diskFree() == null ? Offer.UNKNOWN_DISK : Math.max(0, k.diskFree() - u[3]);
            // A desk whose owner uses the GPU (or is present, with gpu_when_present = freeze) takes no GPU job.
            int freeGpus = k.gpuAccepting() ? (int) Math.max(0, k.gpus() - u[4]) : 0;
            out.add(new Offer(
                    e.getKey(),
                    freeCpu,
                    freeMem,
                    true,
                    k.labels(),
                    freeSlots,
                    freeDisk,
                    Boolean.TRUE.equals(k.ownNetwork()),
                    freeGpus));
        }
        return out;
    }

    /**
     * The largest job any single offer could take: by free resources, or by whole capacity when
     * running attempts may be preempted for it. {@code totalCpu}: the CPU all offers have free.
     */
    record Bound(int maxCpu, long maxMemory, long totalCpu, int maxGpus) {}

    Bound bound(List<Offer> offers, boolean preemptible) {
        int maxCpu = 0;
        long maxMem = 0;
        long total = 0;
        int maxGpus = 0;
        for (Offer o : offers) {
            // A desk at max_jobs takes nothing whatever CPU it has free (unless by a preemption).
            int cpu = o.freeSlots() > 0 ? o.freeCpuMillis() : 0;
            long mem = o.freeMemoryBytes();
            int gpus = o.freeGpus();
            if (preemptible) {
                Known k = machines.get(o.machine());
                if (k != null) {
                    cpu = k.cpuMillis();
                    mem = k.memoryBytes();
                    gpus = k.gpuAccepting() ? k.gpus() : 0;
                }
            }
            maxCpu = Math.max(maxCpu, cpu);
            maxMem = Math.max(maxMem, mem);
            maxGpus = Math.max(maxGpus, gpus);
            total += cpu;
        }
        return new Bound(maxCpu, maxMem, total, maxGpus);
    }

    /**
     * The labels of every online machine, accepting work now or not, and of every sleeping one (it
     * can be woken): what a waiting job may yet find.
     */
    List<Map<String, String>> onlineLabels(long now, long leaseMillis) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Known k : machines.values()) {
            if (!k.drained() && (k.asleep() || MachinePresence.online(k.lastContact(), now, leaseMillis)))
                out.add(k.labels());
        }
        return out;
    }

    /**
     * The most disk any online machine last said it has free for jobs (null when none says), to
     * tell a job whose {@code --disk} no desk can hold why it waits.
     */
    Long largestDiskFree(long now, long leaseMillis) {
        Long most = null;
        for (Known k : machines.values()) {
            if (k.drained() || k.diskFree() == null || !MachinePresence.online(k.lastContact(), now, leaseMillis))
                continue;
            if (most == null || k.diskFree() > most) most = k.diskFree();
        }
        return most;
    }

    /** Whether any online machine can give a {@code --network none} job a network of its own. */
    boolean anyOwnNetwork(long now, long leaseMillis) {
        for (Known k : machines.values()) {
            if (!k.drained()
                    && Boolean.TRUE.equals(k.ownNetwork())
                    && MachinePresence.online(k.lastContact(), now, leaseMillis)) return true;
        }
        return false;
    }

    /** Every sleeping, undrained machine with its whole resources and labels: what waking it would offer. */
    List<Offer> asleepOffers() {
        List<Offer> out = new ArrayList<>();
        for (var e : machines.entrySet()) {
            Known k = e.getValue();
            if (k.asleep() && !k.drained())
                out.add(new Offer(e.getKey(), k.cpuMillis(), k.memoryBytes(), true, k.labels()));
        }
        out.sort(java.util.Comparator.comparing(Offer::machine));
        return out;
    }

    /** The most GPUs any online machine has, free or not: what a waiting GPU job may yet find. */
    int mostOnlineGpus(long now, long leaseMillis) {
        int most = 0;
        for (Known k : machines.values()) {
            if (!k.drained() && MachinePresence.online(k.lastContact(), now, leaseMillis))
                most = Math.max(most, k.gpus());
        }
        return most;
    }

    /** Whether any live attempt could be preempted at all; when none, placement need not see them. */
    boolean anyCheckpointable() {
        return checkpointable > 0;
    }

    /**
     * The live attempts, as placement sees them for preemption, but for those already being
     * vacated. {@code sinceCheckpoint} is zero: a preempted attempt checkpoints before it leaves.
     */
    List<RunningAttempt> running(java.util.Set<Long> vacating) {
        List<RunningAttempt> out = new ArrayList<>(live.size());
        for (Live a : live.values()) {
            if (vacating.contains(a.token())) continue;
            out.add(new RunningAttempt(
                    a.jobId(),
                    a.token(),
                    a.machine(),
                    a.owner(),
                    a.priority(),
                    a.cpuMillis(),
                    a.memoryBytes(),
                    a.checkpointable(),
                    Duration.ZERO,
                    a.diskBytes(),
                    a.gpus()));
        }
        return out;
    }

    /** Per owner, how many attempts run now. */
    Map<String, Integer> runningByOwner() {
        Map<String, Integer> out = new HashMap<>();
        for (Live a : live.values()) out.merge(a.owner(), 1, Integer::sum);
        return out;
    }
}
