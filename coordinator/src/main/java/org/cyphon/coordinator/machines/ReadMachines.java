package org.cyphon.coordinator.machines;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.core.protocol.MachineList;
import org.cyphon.core.protocol.MachineView;

/** {@code GET /machines}, {@code GET /machines/{name}}. */
public final class ReadMachines {
    private final Database db;
    private final Clock clock;
    private final long leaseMillis;

    private final DeskReports desks;

    /** The pool's overload mode, shown above every machine listing: it is never invisible. */
    private final java.util.function.Supplier<org.cyphon.core.protocol.OverloadView> overload;

    /** Each machine's owner and absence (and, shown alone, its learned profile). */
    private final org.cyphon.coordinator.profile.ProfileViews trackRecord;

    /** Each desk's power: asleep or not, its cards, its last wake-up. */
    private final java.util.function.BiFunction<String, java.time.Instant, org.cyphon.core.protocol.PowerView> power;

    public ReadMachines(
            Database db,
            Clock clock,
            Duration lease,
            DeskReports desks,
            java.util.function.Supplier<org.cyphon.core.protocol.OverloadView> overload,
            org.cyphon.coordinator.profile.ProfileViews trackRecord,
            java.util.function.BiFunction<String, java.time.Instant, org.cyphon.core.protocol.PowerView> power) {
        this.power = power;
        this.trackRecord = trackRecord;
        this.overload = overload;
        this.desks = desks;
        this.db = db;
        this.clock = clock;
        this.leaseMillis = lease.toMillis();
    }

    public MachineList list() {
        long now = clock.millis();
        record Read(List<MachineRow> machines, Map<String, AttemptTable.Usage> usage) {}
        Read r = db.transactions().read(c -> new Read(MachineTable.all(c), AttemptTable.liveUsageByMachine(c)));
        return new MachineList(
                r.machines().stream()
                        .map(m -> MachineViews.of(
                                m,
                                r.usage().get(m.name()),
                                now,
                                leaseMillis,
                                desks.of(m.name()),
                                desks.vmOf(m.name()),
                                power.apply(m.name(), java.time.Instant.ofEpochMilli(now))))
                        .map(v -> trackRecord.decorate(v, false))
                        .toList(),
                overload.get());
    }

    /** @throws ApiError 404 for an unknown machine */
    public MachineView show(String name) {
        long now = clock.millis();
        MachineView v = db.transactions().read(c -> {
            MachineRow m = MachineTable.byName(c, name);
            if (m == null) throw noSuchMachine(name);
            return MachineViews.of(
                    m,
                    AttemptTable.liveUsageByMachine(c).get(name),
                    now,
                    leaseMillis,
                    desks.of(name),
                    desks.vmOf(name),
                    power.apply(name, java.time.Instant.ofEpochMilli(now)));
        });
        return trackRecord.decorate(v, true);
    }

    static ApiError noSuchMachine(String name) {
        return ApiError.notFound("no machine '" + name + "'");
    }
}
