package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cyphon.core.machine.Offer;
import org.junit.jupiter.api.Test;

class PlaceByPriorityOnEmptiestMachineTest {
    private static final long G = 1L << 30;
    private final Placement placement = new PlaceByPriorityOnEmptiestMachine();

    private static PendingJob job(long id, int priority, int cpuMillis, long mem) {
        return new PendingJob(id, "u", priority, cpuMillis, mem);
    }

    @Test
    void higherPriorityFirstThenOldestFirst() {
        var offers = List.of(new Offer("m1", 2000, 8 * G, true));
        var queue = List.of(job(1, 0, 1000, G), job(2, 5, 1000, G), job(3, 5, 1000, G));
        assertThat(placement.place(queue, offers)).extracting(Assignment::jobId).containsExactly(2L, 3L);
    }

    @Test
    void spreadsOverTheEmptiestMachines() {
        var offers = List.of(new Offer("busy", 1000, 8 * G, true), new Offer("idle", 4000, 8 * G, true));
        var out = placement.place(List.of(job(1, 0, 1000, G), job(2, 0, 1000, G)), offers);
        assertThat(out).extracting(Assignment::machine).containsExactly("idle", "idle");
        var three = placement.place(
                List.of(job(1, 0, 1000, G), job(2, 0, 1000, G), job(3, 0, 1000, G), job(4, 0, 1000, G)), offers);
        assertThat(three).extracting(Assignment::machine).containsExactly("idle", "idle", "idle", "busy");
    }

    @Test
    void respectsMemoryAndSkipsToAMachineThatFits() {
        var offers = List.of(new Offer("manycpu-littlemem", 8000, G, true), new Offer("bigmem", 2000, 16 * G, true));
        var out = placement.place(List.of(job(1, 0, 1000, 4 * G)), offers);
        assertThat(out).containsExactly(new Assignment(1, "bigmem"));
    }

    @Test
    void aJobThatFitsNowhereDoesNotBlockSmallerOnesBehindIt() {
        var offers = List.of(new Offer("m1", 2000, 4 * G, true));
        var out = placement.place(List.of(job(1, 9, 8000, G), job(2, 0, 1000, G)), offers);
        assertThat(out).containsExactly(new Assignment(2, "m1"));
    }

    @Test
    void drainedOrFullMachinesGetNothing() {
        var offers = List.of(new Offer("drained", 8000, 8 * G, false), new Offer("full", 0, 8 * G, true));
        assertThat(placement.place(List.of(job(1, 0, 1000, G)), offers)).isEmpty();
    }

    @Test
    void fractionalCpusPackExactly() {
        var offers = List.of(new Offer("m1", 1000, 8 * G, true));
        List<PendingJob> queue = new ArrayList<>();
        for (int i = 1; i <= 5; i++) queue.add(job(i, 0, 250, G / 8));
        assertThat(placement.place(queue, offers)).hasSize(4);
    }

    @Test
    void neverOvercommitsAnyMachineOnRandomInputs() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Offer> offers = new ArrayList<>();
            Map<String, Offer> byName = new HashMap<>();
            for (int m = 0; m < 1 + rnd.nextInt(8); m++) {
                Offer o = new Offer("m" + m, rnd.nextInt(9) * 500, (1 + rnd.nextInt(16)) * G / 2, rnd.nextInt(10) > 0);
                offers.add(o);
                byName.put(o.machine(), o);
            }
            List<PendingJob> queue = new ArrayList<>();
            for (int j = 0; j < rnd.nextInt(40); j++)
                queue.add(job(j, rnd.nextInt(3), 250 * (1 + rnd.nextInt(8)), (1 + rnd.nextInt(8)) * G / 4));
            Map<Long, PendingJob> jobs = new HashMap<>();
            queue.forEach(p -> jobs.put(p.id(), p));

            List<Assignment> out = placement.place(queue, offers);
            Map<String, long[]> used = new HashMap<>();
            assertThat(out).extracting(Assignment::jobId).doesNotHaveDuplicates();
            for (Assignment a : out) {
                Offer o = byName.get(a.machine());
                assertThat(o.accepting()).isTrue();
                long[] u = used.computeIfAbsent(a.machine(), k -> new long[2]);
                u[0] += jobs.get(a.jobId()).cpuMillis();
                u[1] += jobs.get(a.jobId()).memoryBytes();
                assertThat(u[0]).isLessThanOrEqualTo(o.freeCpuMillis());
                assertThat(u[1]).isLessThanOrEqualTo(o.freeMemoryBytes());
            }
            // Deterministic: the same input gives the same output.
            assertThat(placement.place(queue, offers)).isEqualTo(out);
        }
    }
}
