package org.cyphon.coordinator.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.lifecycle.MachinePresence;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.core.machine.Offer;

/**
 * The machines and what their live attempts use, in memory, so a scheduling pass builds its offers
 * without a query. Rebuilt from the store; updated by {@link Fact}s. Used by the scheduling thread only.
 */
final class MachineLoad {
    /** {@code accepting}: the desk's own policy lets new work start (the owner is away, it is night...). */
    private record Known(int cpuMillis, long memoryBytes, boolean drained, long lastContact, boolean accepting) {}

    private record Live(String machine, int cpuMillis, long memoryBytes) {}

    private final Map<String, Known> machines = new HashMap<>();
    private final Map<Long, Live> live = new HashMap<>();
    private final Map<String, long[]> used = new HashMap<>(); // machine -> {cpuMillis, memoryBytes}

    void seen(String name, int cpuMillis, long memoryBytes, long at, boolean accepting) {
        Known k = machines.get(name);
        boolean drained = k != null && k.drained();
        long last = k == null ? at : Math.max(at, k.lastContact());
        machines.put(name, new Known(cpuMillis, memoryBytes, drained, last, accepting));
    }

    void drained(String name, boolean drained) {
        Known k = machines.get(name);
        if (k != null) machines.put(name, new Known(k.cpuMillis(), k.memoryBytes(), drained, k.lastContact(), k.accepting()));
    }

    void started(long token, String machine, int cpuMillis, long memoryBytes) {
        if (live.put(token, new Live(machine, cpuMillis, memoryBytes)) != null) return;
        long[] u = used.computeIfAbsent(machine, m -> new long[2]);
        u[0] += cpuMillis;
        u[1] += memoryBytes;
    }

    void ended(long token) {
        Live l = live.remove(token);
        if (l == null) return;
        long[] u = used.get(l.machine());
        u[0] -= l.cpuMillis();
        u[1] -= l.memoryBytes();
        if (u[0] <= 0 && u[1] <= 0) used.remove(l.machine());
    }

    void replaceAll(Collection<MachineRow> rows, Collection<AttemptRow> liveAttempts) {
        Map<String, Known> old = new HashMap<>(machines);
        machines.clear();
        live.clear();
        used.clear();
        for (MachineRow m : rows) {
            // Heartbeats are not written to memory only: the row's time is the truth, but a fact may be newer.
            Known k = old.get(m.name());
            long last = k == null ? m.lastContact() : Math.max(m.lastContact(), k.lastContact());
            machines.put(m.name(), new Known(m.cpuMillis(), m.memoryBytes(), m.drained(), last, k == null || k.accepting()));
        }
        for (AttemptRow a : liveAttempts) started(a.fencingToken(), a.machine(), a.cpuMillis(), a.memoryBytes());
    }

    /** What each online, undrained, accepting machine can take now: its resources less its live attempts'. */
    List<Offer> offers(long now, long leaseMillis) {
        List<Offer> out = new ArrayList<>();
        for (var e : machines.entrySet()) {
            Known k = e.getValue();
            if (k.drained() || !k.accepting() || !MachinePresence.online(k.lastContact(), now, leaseMillis)) continue;
            long[] u = used.getOrDefault(e.getKey(), new long[2]);
            int freeCpu = (int) Math.max(0, k.cpuMillis() - u[0]);
            long freeMem = Math.max(0, k.memoryBytes() - u[1]);
            if (freeCpu > 0) out.add(new Offer(e.getKey(), freeCpu, freeMem, true));
        }
        return out;
    }
}
