package org.cyphon.coordinator.machines;

import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.core.protocol.MachineView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /machines/{name}/drain|undrain} (admin): a drained machine takes no new work; what
 * runs there runs on. The agent hears it in its heartbeat reply.
 */
public final class DrainMachine {
    private static final Logger log = LoggerFactory.getLogger(DrainMachine.class);

    private final Database db;
    private final SchedulingLoop loop;
    private final ReadMachines read;

    public DrainMachine(Database db, SchedulingLoop loop, ReadMachines read) {
        this.db = db;
        this.loop = loop;
        this.read = read;
    }

    public MachineView set(String name, boolean drained, String by) {
        org.cyphon.coordinator.store.MachineRow row = db.transactions()
                .write(c -> MachineTable.setDrained(c, name, drained) ? MachineTable.byName(c, name) : null);
        if (row == null) throw ReadMachines.noSuchMachine(name);
        log.info("machine {}: {} by {}", name, drained ? "drained" : "undrained", by);
        // Undraining a desk that waits for approval does not open it: only approving does.
        loop.tell(new Fact.MachineDrained(name, row.closed()));
        return read.show(name);
    }
}
