package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cyphon.agent.sensors.SensorState;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.protocol.DeskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this desk says about itself: to the coordinator in each heartbeat (and so to
 * {@code cyphon machine NAME}), the owner's presence with every reason, whether new work may start
 * and why, each sensor's state; and to the person at the desk, the same in
 * {@code STATE_DIR/owner-status.json} ({@code cyphon status}), with what the jobs here are doing.
 */
final class DeskReport {
    private static final Logger log = LoggerFactory.getLogger(DeskReport.class);

    private final OwnerFirst ownerFirst;
    private final Supplier<List<SensorState>> sensors;
    private final String policyName;
    private final Shutdown shutdown;
    private final PoolNews news;
    /** The desk VM, or null on a desk without one. */
    private final OwnersVm vm;

    private final HeldAttempts attempts;
    /** The desk's owner in agent.toml, or null. */
    private final String owner;

    private final Path stateDir;
    private final Clock clock;
    private final Supplier<DeskView.PowerView> power;

    DeskReport(
            OwnerFirst ownerFirst,
            Supplier<List<SensorState>> sensors,
            String policyName,
            Shutdown shutdown,
            PoolNews news,
            OwnersVm vm,
            HeldAttempts attempts,
            String owner,
            Path stateDir,
            Clock clock,
            Supplier<DeskView.PowerView> power) {
        this.ownerFirst = ownerFirst;
        this.sensors = sensors;
        this.policyName = policyName;
        this.shutdown = shutdown;
        this.news = news;
        this.vm = vm;
        this.attempts = attempts;
        this.owner = owner;
        this.stateDir = stateDir;
        this.clock = clock;
        this.power = power;
    }

    /** What the desk's owner-first loop knows now, for the heartbeat and {@code cyphon machine NAME}. */
    DeskView now() {
        Presence p = ownerFirst.presence();
        var start = ownerFirst.startDecision();
        boolean closing = shutdown.closing();
        String noWork = shutdown.whyNoWork();
        List<String> reasons = new ArrayList<>();
        if (ownerFirst.headless()) reasons.add("headless: no input device, display or login session to watch");
        reasons.addAll(p.reasons());
        reasons.addAll(start.reasons());
        List<DeskView.SensorView> sensorViews = sensors.get().stream()
                .map(st -> new DeskView.SensorView(st.name(), st.running(), st.status()))
                .toList();
        if (closing) reasons.add(0, (noWork != null ? noWork : "agent shutting down") + ": takes no new work");
        Instant overload = news.overloadUntil();
        if (overload != null && clock.instant().isBefore(overload))
            reasons.add(0, "overload mode on until " + overload);
        if (vm != null) reasons.addAll(vm.reasons());
        return DeskView.of(
                        p,
                        start.allowed() && !closing,
                        start.gpuAllowed() && !closing,
                        policyName,
                        reasons,
                        sensorViews,
                        power.get())
                .withOwnerSince(ownerFirst.ownerSince(), ownerFirst.unreportedSlowYields());
    }

    /** A heartbeat carrying {@code sent} was answered: its slow yields are the coordinator's now. */
    void reported(DeskView sent) {
        ownerFirst.slowYieldsReported(sent.ownerVisible());
    }

    /** For {@code cyphon status} at the desk; a failure to write it never stops the beat. */
    void writeOwnerStatus(String machine, DeskView desk) {
        try {
            new OwnerStatusFile(
                            machine,
                            clock.instant(),
                            desk,
                            attempts.ownerLines(),
                            news.overloadUntil(),
                            vm == null ? null : vm.view(),
                            ownerFirst.claimUntil(),
                            owner)
                    .write(stateDir);
        } catch (IOException | RuntimeException e) {
            log.debug("agent {}: owner status not written: {}", machine, e.toString());
        }
    }
}
