package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.DeskVmView;
import org.cyphon.core.protocol.MachineView;

/**
 * A {@link MachineView} for the CLI's formatting tests, so each test names only what it looks at: an
 * online, undrained machine of 4 cpus and 8 GiB, all free, running nothing in a cgroup-v2 sandbox,
 * enrolled and last heard from at {@code now}, with nothing else reported. What a view gains later
 * (walls, GPUs, the track record) comes from the view's own {@code with...} methods.
 */
final class MachineViewBuilder {
    private final String name;
    private String state = "online";
    private double cpus = 4;
    private double freeCpus = 4;
    private long memoryBytes = 8L << 30;
    private long freeMemoryBytes = 8L << 30;
    private int runningAttempts;
    private String sandbox = "cgroup-v2";
    private String sandboxNote = "";
    private Instant enrolledAt;
    private Instant lastHeartbeat;
    private DeskView desk;
    private DeskVmView vm;

    private MachineViewBuilder(String name, Instant now) {
        this.name = name;
        this.enrolledAt = now;
        this.lastHeartbeat = now;
    }

    static MachineViewBuilder machine(String name, Instant now) {
        return new MachineViewBuilder(name, now);
    }

    MachineViewBuilder state(String s) {
        state = s;
        return this;
    }

    MachineViewBuilder cpus(double total, double free) {
        cpus = total;
        freeCpus = free;
        return this;
    }

    MachineViewBuilder memory(long totalBytes, long freeBytes) {
        memoryBytes = totalBytes;
        freeMemoryBytes = freeBytes;
        return this;
    }

    MachineViewBuilder jobs(int running) {
        runningAttempts = running;
        return this;
    }

    MachineViewBuilder sandbox(String kind, String note) {
        sandbox = kind;
        sandboxNote = note;
        return this;
    }

    MachineViewBuilder enrolledAt(Instant at) {
        enrolledAt = at;
        return this;
    }

    /** @param at null: never heard from */
    MachineViewBuilder lastHeartbeat(Instant at) {
        lastHeartbeat = at;
        return this;
    }

    MachineViewBuilder desk(DeskView d) {
        desk = d;
        return this;
    }

    MachineViewBuilder vm(DeskVmView v) {
        vm = v;
        return this;
    }

    MachineView build() {
        return new MachineView(
                name,
                state,
                false,
                cpus,
                memoryBytes,
                freeCpus,
                freeMemoryBytes,
                runningAttempts,
                sandbox,
                sandboxNote,
                enrolledAt,
                lastHeartbeat,
                null,
                desk,
                vm,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0);
    }
}
