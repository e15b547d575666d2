package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.core.owner.ScriptedOwner.FIRST_DAY;
import static org.cyphon.core.owner.ScriptedOwner.at;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.ScriptedOwner;
import org.cyphon.core.owner.UsageProfile;
import org.junit.jupiter.api.Test;

class PlaceByFairShareAndIdleFitTest {
    private static final long G = 1L << 30;
    private static final Instant NOW = at(FIRST_DAY.plusDays(28 + 1), 19); // a Tuesday evening
    private final Placement placement = new PlaceByFairShareAndIdleFit();

    private static PendingJob job(long id, String owner, int priority, Duration runtime) {
        return new PendingJob(id, owner, priority, 1000, G, "j", Map.of(), runtime, Duration.ZERO);
    }

    private static PlacementInput input(
            List<PendingJob> queue,
            List<Offer> offers,
            Map<String, IdleForecast> forecasts,
            FairShare shares,
            List<RunningAttempt> running) {
        return new PlacementInput(NOW, queue, offers, forecasts, shares, running);
    }

    /** An office desk two hours into its night, and a desk whose owner takes 20-minute breaks all day long. */
    private static Map<String, IdleForecast> nightAndBreaks() {
        UsageProfile office = ScriptedOwner.office(4);
        UsageProfile breaks = ScriptedOwner.breaks(Duration.ofMinutes(20), Duration.ofMinutes(40), 30);
        return Map.of(
                "night",
                IdleForecast.of(office, NOW, Duration.ofHours(2), null),
                "breaks",
                IdleForecast.of(breaks, NOW, Duration.ofMinutes(5), null));
    }

    @Test
    void aLongJobGoesToTheDeskWhoseIdleWindowFitsIt() {
        var offers = List.of(new Offer("breaks", 8000, 16 * G, true), new Offer("night", 2000, 4 * G, true));
        Plan plan = placement.place(input(
                List.of(job(1, "u", 0, Duration.ofHours(3))), offers, nightAndBreaks(), FairShare.none(), List.of()));
        assertThat(plan.assignments()).containsExactly(new Assignment(1, "night"));
    }

    @Test
    void theNextBestWindowTakesWhatTheBestCannotHold() {
        var offers = List.of(new Offer("breaks", 8000, 16 * G, true), new Offer("night", 2000, 4 * G, true));
        var queue = List.of(
                job(1, "u", 0, Duration.ofHours(3)),
                job(2, "u", 0, Duration.ofHours(3)),
                job(3, "u", 0, Duration.ofHours(3)));
        Plan plan = placement.place(input(queue, offers, nightAndBreaks(), FairShare.none(), List.of()));
        assertThat(plan.assignments()).extracting(Assignment::machine).containsExactly("night", "night", "breaks");
    }

    @Test
    void withoutForecastsTheEmptiestDeskWins() {
        var offers = List.of(new Offer("busy", 1000, 8 * G, true), new Offer("idle", 4000, 8 * G, true));
        var out = placement.place(List.of(job(1, "u", 0, null), job(2, "u", 0, null)), offers);
        assertThat(out).extracting(Assignment::machine).containsExactly("idle", "idle");
    }

    @Test
    void matchesLabelsAndMemory() {
        var offers = List.of(
                new Offer("plain", 8000, 32 * G, true, Map.of("os", "linux")),
                new Offer("gpu-small", 2000, 2 * G, true, Map.of("os", "linux", "gpu", "nvidia")),
                new Offer("gpu-big", 2000, 16 * G, true, Map.of("os", "linux", "gpu", "nvidia")));
        var gpuJob =
                new PendingJob(1, "u", 0, 1000, 8 * G, "train", Map.of("gpu", "nvidia"), Duration.ofHours(1), null);
        var winJob = new PendingJob(2, "u", 0, 1000, G, "build", Map.of("os", "windows"), null, null);
        var anyJob = new PendingJob(3, "u", 0, 1000, 4 * G, "x", Map.of(), null, null);
        Plan plan =
                placement.place(input(List.of(gpuJob, winJob, anyJob), offers, Map.of(), FairShare.none(), List.of()));
        assertThat(plan.assignments())
                .containsExactlyInAnyOrder(new Assignment(1, "gpu-big"), new Assignment(3, "plain"));
    }

    @Test
    void aDeskTakesNoMoreJobsThanItsFreeSlotsWhateverItsCpus() {
        // 8 CPUs and room for 64 tiny jobs, but max_jobs leaves it 2 slots: the rest go elsewhere.
        var offers = List.of(
                new Offer("slotted", 8000, 64 * G, true, Map.of(), 2, Offer.UNKNOWN_DISK),
                new Offer("other", 2000, 64 * G, true));
        var queue = new ArrayList<PendingJob>();
        for (int i = 1; i <= 20; i++) queue.add(new PendingJob(i, "u", 0, 100, 1L << 20, "tiny", Map.of(), null, null));
        Plan plan = placement.place(input(queue, offers, Map.of(), FairShare.none(), List.of()));
        assertThat(plan.assignments().stream().filter(a -> a.machine().equals("slotted")))
                .hasSize(2);
        assertThat(plan.assignments().stream().filter(a -> a.machine().equals("other")))
                .hasSize(18);
    }

    @Test
    void aDiskRequestGoesOnlyWhereThatMuchDiskIsFreeAndTakesIt() {
        var offers = List.of(
                new Offer("small-disk", 8000, 64 * G, true, Map.of(), Offer.UNLIMITED_SLOTS, 5 * G),
                new Offer("big-disk", 2000, 64 * G, true, Map.of(), Offer.UNLIMITED_SLOTS, 30 * G));
        var queue = List.of(
                new PendingJob(1, "u", 0, 500, G, "big", Map.of(), null, null, 20 * G),
                new PendingJob(2, "u", 0, 500, G, "big", Map.of(), null, null, 20 * G),
                new PendingJob(3, "u", 0, 500, G, "none", Map.of(), null, null, 0));
        Plan plan = placement.place(input(queue, offers, Map.of(), FairShare.none(), List.of()));
        // Job 1 takes 20 of big-disk's 30G; job 2 fits nowhere now; job 3 asks no disk: the emptier CPU wins.
        assertThat(plan.assignments()).containsExactly(new Assignment(1, "big-disk"), new Assignment(3, "small-disk"));
    }

    @Test
    void submittersInterleaveWithinAPass() {
        var offers = List.of(new Offer("m1", 4000, 16 * G, true));
        var queue = new ArrayList<PendingJob>();
        for (int i = 1; i <= 4; i++) queue.add(job(i, "alice", 0, Duration.ofHours(1)));
        for (int i = 5; i <= 8; i++) queue.add(job(i, "bob", 0, Duration.ofHours(1)));
        Plan plan = placement.place(input(queue, offers, Map.of(), FairShare.none(), List.of()));
        assertThat(plan.assignments()).extracting(Assignment::jobId).containsExactly(1L, 5L, 2L, 6L);
    }

    @Test
    void theSubmitterWhoUsedLessLatelyGoesFirstAndUsageDecaysWithTheHalfLife() {
        var offers = List.of(new Offer("m1", 1000, 16 * G, true));
        var queue = List.of(job(1, "alice", 0, Duration.ofHours(1)), job(2, "bob", 0, Duration.ofHours(1)));
        // Alice used 100 CPU-hours two days ago; Bob 30 CPU-hours just now.
        FairShare daily = FairShare.empty(Duration.ofHours(24))
                .charge("alice", 100 * 3600, NOW.minus(Duration.ofHours(48)))
                .charge("bob", 30 * 3600, NOW);
        assertThat(daily.usage("alice", NOW)).isEqualTo(25 * 3600.0);
        assertThat(placement
                        .place(input(queue, offers, Map.of(), daily, List.of()))
                        .assignments())
                .containsExactly(new Assignment(1, "m1"));
        // With a three-day half-life Alice's two-day-old usage still weighs 63 CPU-hours: Bob goes first.
        FairShare slow = FairShare.empty(Duration.ofDays(3))
                .charge("alice", 100 * 3600, NOW.minus(Duration.ofDays(2)))
                .charge("bob", 30 * 3600, NOW);
        assertThat(placement
                        .place(input(queue, offers, Map.of(), slow, List.of()))
                        .assignments())
                .containsExactly(new Assignment(2, "m1"));
    }

    @Test
    void priorityOrdersJobsWithinASubmitterNotAcrossThem() {
        var offers = List.of(new Offer("m1", 2000, 16 * G, true));
        var queue = List.of(job(1, "alice", 0, null), job(2, "alice", 9, null), job(3, "bob", 1, null));
        FairShare shares = FairShare.none().charge("bob", 10, NOW);
        Plan plan = placement.place(input(queue, offers, Map.of(), shares, List.of()));
        // Alice (no usage) first, her priority-9 job; then Bob (10 s) before Alice's next.
        assertThat(plan.assignments()).extracting(Assignment::jobId).containsExactly(2L, 3L);
    }

    private static RunningAttempt running(long id, String owner, int priority, boolean checkpointable) {
        return new RunningAttempt(id, 100 + id, "m1", owner, priority, 1000, G, checkpointable, Duration.ofMinutes(5));
    }

    @Test
    void aHigherPriorityJobPreemptsOnlyCheckpointableWorkOfItsOwnSubmitter() {
        var offers = List.of(new Offer("m1", 0, 8 * G, true));
        var running = List.of(
                running(10, "alice", 0, false),
                running(11, "alice", 0, true),
                running(12, "bob", 0, true),
                running(13, "alice", 5, true));
        var queue = List.of(job(1, "alice", 5, null), job(2, "bob", 0, null), job(3, "carol", 9, null));
        Plan plan = placement.place(input(queue, offers, Map.of(), FairShare.none(), running));
        assertThat(plan.assignments()).isEmpty();
        // Alice's priority-5 job vacates her checkpointable priority-0 attempt: not the uncheckpointable one,
        // not her other priority-5 one, and not Bob's. Bob's job has no higher priority; Carol runs nothing.
        assertThat(plan.preemptions()).singleElement().satisfies(p -> {
            assertThat(p.jobId()).isEqualTo(11);
            assertThat(p.fencingToken()).isEqualTo(111);
            assertThat(p.machine()).isEqualTo("m1");
            assertThat(p.forJob()).isEqualTo(1);
        });
    }

    @Test
    void uncheckpointableWorkIsNeverPreemptedAndPreemptionsAreBounded() {
        var offers = List.of(new Offer("m1", 0, 64 * G, true));
        List<RunningAttempt> running = new ArrayList<>();
        for (int i = 0; i < 10; i++) running.add(running(10 + i, "alice", 0, i % 2 == 0));
        List<PendingJob> queue = new ArrayList<>();
        for (int i = 0; i < 10; i++) queue.add(job(i + 1, "alice", 3, null));
        Plan plan = new PlaceByFairShareAndIdleFit(3).place(input(queue, offers, Map.of(), FairShare.none(), running));
        assertThat(plan.preemptions()).hasSize(3);
        assertThat(plan.preemptions()).allSatisfy(p -> assertThat(p.jobId() % 2).isZero());
        assertThat(plan.preemptions()).extracting(Preemption::jobId).doesNotHaveDuplicates();
        assertThat(new PlaceByFairShareAndIdleFit(0)
                        .place(input(queue, offers, Map.of(), FairShare.none(), running))
                        .preemptions())
                .isEmpty();
    }

    @Test
    void neverOvercommitsAndIsDeterministicOnRandomInputs() {
        Random rnd = new Random(7);
        Map<String, IdleForecast> pool = nightAndBreaks();
        for (int round = 0; round < 200; round++) {
            List<Offer> offers = new ArrayList<>();
            Map<String, Offer> byName = new HashMap<>();
            Map<String, IdleForecast> forecasts = new HashMap<>();
            for (int m = 0; m < 1 + rnd.nextInt(8); m++) {
                Map<String, String> labels = rnd.nextBoolean() ? Map.of("gpu", "yes") : Map.of();
                Offer o = new Offer(
                        "m" + m, rnd.nextInt(9) * 500, (1 + rnd.nextInt(16)) * G / 2, rnd.nextInt(10) > 0, labels);
                offers.add(o);
                byName.put(o.machine(), o);
                if (rnd.nextBoolean()) forecasts.put(o.machine(), pool.get(rnd.nextBoolean() ? "night" : "breaks"));
            }
            List<PendingJob> queue = new ArrayList<>();
            for (int j = 0; j < rnd.nextInt(40); j++) {
                Map<String, String> req = rnd.nextInt(4) == 0 ? Map.of("gpu", "yes") : Map.of();
                Duration rt = rnd.nextBoolean() ? null : Duration.ofMinutes(1 + rnd.nextInt(600));
                queue.add(new PendingJob(
                        j,
                        "u" + rnd.nextInt(3),
                        rnd.nextInt(3),
                        250 * (1 + rnd.nextInt(8)),
                        (1 + rnd.nextInt(8)) * G / 4,
                        "n",
                        req,
                        rt,
                        null));
            }
            Map<Long, PendingJob> jobs = new HashMap<>();
            queue.forEach(p -> jobs.put(p.id(), p));
            PlacementInput in = new PlacementInput(NOW, queue, offers, forecasts, FairShare.none(), List.of());

            Plan plan = placement.place(in);
            Map<String, long[]> used = new HashMap<>();
            assertThat(plan.assignments()).extracting(Assignment::jobId).doesNotHaveDuplicates();
            for (Assignment a : plan.assignments()) {
                Offer o = byName.get(a.machine());
                PendingJob j = jobs.get(a.jobId());
                assertThat(o.accepting()).isTrue();
                assertThat(o.carries(j.requires())).isTrue();
                long[] u = used.computeIfAbsent(a.machine(), k -> new long[2]);
                u[0] += j.cpuMillis();
                u[1] += j.memoryBytes();
                assertThat(u[0]).isLessThanOrEqualTo(o.freeCpuMillis());
                assertThat(u[1]).isLessThanOrEqualTo(o.freeMemoryBytes());
            }
            // A job left out fits on no desk's remaining capacity (nothing is left idle by mistake).
            for (PendingJob j : queue) {
                if (plan.assignments().stream().anyMatch(a -> a.jobId() == j.id())) continue;
                for (Offer o : offers) {
                    long[] u = used.getOrDefault(o.machine(), new long[2]);
                    boolean fits = o.accepting()
                            && o.carries(j.requires())
                            && o.freeCpuMillis() > 0
                            && o.freeCpuMillis() - u[0] >= j.cpuMillis()
                            && o.freeMemoryBytes() - u[1] >= j.memoryBytes();
                    assertThat(fits)
                            .as("job %d left out though %s has room", j.id(), o.machine())
                            .isFalse();
                }
            }
            assertThat(placement.place(in)).isEqualTo(plan);
        }
    }
}
