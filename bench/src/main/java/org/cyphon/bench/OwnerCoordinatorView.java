package org.cyphon.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.MachineView;

/**
 * What the coordinator says about the desk while the owner works ({@code cyphon machines --json}
 * and {@code cyphon q} read the same API): every {@link #EVERY_MILLIS}, the states of the desk's jobs
 * ({@code running} covers lingering; {@code suspended} is frozen) and the owner's presence as the
 * agent last reported it. A second, independent witness beside the agent's own log; not more often,
 * because each poll makes the coordinator work on the cores the owner's workload is measured on.
 */
final class OwnerCoordinatorView implements AutoCloseable {
    static final long EVERY_MILLIS = 5_000;

    private final Map<String, Integer> jobStates = new TreeMap<>();
    private final Map<String, Integer> owner = new TreeMap<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final Thread poller;
    private volatile String failure;
    private volatile boolean stop;

    private OwnerCoordinatorView(ApiClient admin, String machine) {
        poller = Thread.ofPlatform().daemon().name("owner-coordinator-view").start(() -> {
            while (!stop) {
                try {
                    List<JobView> jobs = admin.get(
                                    "/jobs?machine=" + machine + "&state=running,suspended&limit=1000", JobList.class)
                            .jobs();
                    MachineView m = admin.get("/machines/" + machine, MachineView.class);
                    synchronized (this) {
                        for (JobView j : jobs) jobStates.merge(j.state(), 1, Integer::sum);
                        if (m.desk() != null) owner.merge(m.desk().owner(), 1, Integer::sum);
                    }
                    polls.incrementAndGet();
                    Thread.sleep(EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failure = e.toString();
                    return;
                }
            }
        });
    }

    static OwnerCoordinatorView watch(ApiClient admin, String machine) {
        return new OwnerCoordinatorView(admin, machine);
    }

    /** "7 polls, 5 s apart: jobs running x8, suspended x6; owner present x7". */
    synchronized String describe() {
        StringBuilder sb = new StringBuilder(polls.get() + " polls, " + EVERY_MILLIS / 1000 + " s apart: jobs ");
        sb.append(
                jobStates.isEmpty()
                        ? "none"
                        : String.join(
                                ", ",
                                jobStates.entrySet().stream()
                                        .map(e -> e.getKey() + " x" + e.getValue())
                                        .toList()));
        sb.append("; owner ")
                .append(
                        owner.isEmpty()
                                ? "not reported"
                                : String.join(
                                        ", ",
                                        owner.entrySet().stream()
                                                .map(e -> e.getKey() + " x" + e.getValue())
                                                .toList()));
        if (failure != null) sb.append("; polling failed: ").append(failure);
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        poller.interrupt();
        poller.join(5_000);
    }
}
