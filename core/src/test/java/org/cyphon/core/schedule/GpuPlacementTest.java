package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cyphon.core.machine.Offer;
import org.junit.jupiter.api.Test;

/** GPUs as a placement resource: counted per desk like CPUs and memory, never shared between jobs. */
class GpuPlacementTest {
    private static final long G = 1L << 30;
    private static final Instant NOW = Instant.parse("2026-03-03T19:00:00Z");
    private final Placement placement = new PlaceByFairShareAndIdleFit();

    private static PendingJob job(long id, String owner, int priority, int gpus) {
        return new PendingJob(id, owner, priority, 1000, G, "j", Map.of(), null, Duration.ZERO, 0, false, gpus);
    }

    private static Offer desk(String name, int cpuMillis, int freeGpus) {
        return new Offer(name, cpuMillis, 16 * G, true, Map.of(), freeGpus);
    }

    private Plan place(List<PendingJob> queue, List<Offer> offers, List<RunningAttempt> running) {
        return placement.place(new PlacementInput(NOW, queue, offers, Map.of(), FairShare.none(), running));
    }

    @Test
    void aGpuJobGoesOnlyToADeskWithAFreeGpuAndASecondOneWaits() {
        // The plain desk has more free CPU, so it would win any tie: only the GPU keeps the jobs off it.
        var offers = List.of(desk("plain", 8000, 0), desk("gpu", 2000, 1));
        Plan plan = place(List.of(job(1, "u", 0, 1), job(2, "u", 0, 1), job(3, "u", 0, 0)), offers, List.of());
        assertThat(plan.assignments()).containsExactly(new Assignment(1, "gpu"), new Assignment(3, "plain"));
    }

    @Test
    void aJobAskingForTwoGpusNeedsTwoFreeOnOneDesk() {
        var offers = List.of(desk("one-a", 4000, 1), desk("one-b", 4000, 1), desk("two", 2000, 2));
        Plan plan = place(List.of(job(1, "u", 0, 2), job(2, "u", 0, 2)), offers, List.of());
        assertThat(plan.assignments()).containsExactly(new Assignment(1, "two"));
    }

    @Test
    void aGpuJobPreemptsOnlyWorkWhoseLeavingFreesAGpu() {
        var offers = List.of(desk("a", 0, 0), desk("b", 0, 0));
        var running = List.of(
                new RunningAttempt(10, 110, "a", "u", 0, 1000, G, true, Duration.ZERO, 0, 0),
                new RunningAttempt(11, 111, "b", "u", 0, 1000, G, true, Duration.ZERO, 0, 1));
        Plan plan = place(List.of(job(1, "u", 5, 1)), offers, running);
        assertThat(plan.assignments()).isEmpty();
        assertThat(plan.preemptions()).singleElement().satisfies(p -> {
            assertThat(p.jobId()).isEqualTo(11);
            assertThat(p.machine()).isEqualTo("b");
        });
    }

    @Test
    void neverHandsOutMoreGpusThanADeskHasFree() {
        Random rnd = new Random(11);
        for (int round = 0; round < 300; round++) {
            List<Offer> offers = new ArrayList<>();
            Map<String, Offer> byName = new HashMap<>();
            for (int m = 0; m < 1 + rnd.nextInt(6); m++) {
                Offer o = desk("m" + m, 500 * rnd.nextInt(12), rnd.nextInt(3));
                offers.add(o);
                byName.put(o.machine(), o);
            }
            List<PendingJob> queue = new ArrayList<>();
            for (int j = 0; j < rnd.nextInt(30); j++)
                queue.add(job(j, "u" + rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0));
            Map<Long, PendingJob> jobs = new HashMap<>();
            queue.forEach(p -> jobs.put(p.id(), p));

            Plan plan = place(queue, offers, List.of());
            Map<String, int[]> used = new HashMap<>();
            for (Assignment a : plan.assignments()) {
                int[] u = used.computeIfAbsent(a.machine(), k -> new int[2]);
                u[0] += jobs.get(a.jobId()).gpus();
                u[1] += jobs.get(a.jobId()).cpuMillis();
                assertThat(u[0]).isLessThanOrEqualTo(byName.get(a.machine()).freeGpus());
                assertThat(u[1]).isLessThanOrEqualTo(byName.get(a.machine()).freeCpuMillis());
            }
            // Nothing left out that fits what a desk still has: GPUs do not hide room from anyone.
            for (PendingJob j : queue) {
                if (plan.assignments().stream().anyMatch(a -> a.jobId() == j.id())) continue;
                for (Offer o : offers) {
                    int[] u = used.getOrDefault(o.machine(), new int[2]);
                    boolean fits = o.freeCpuMillis() > 0
                            && o.freeCpuMillis() - u[1] >= j.cpuMillis()
                            && o.freeGpus() - u[0] >= j.gpus();
                    assertThat(fits)
                            .as("job %d (%d GPUs) left out though %s has room", j.id(), j.gpus(), o.machine())
                            .isFalse();
                }
            }
        }
    }
}
