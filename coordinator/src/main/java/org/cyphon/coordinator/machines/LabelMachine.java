package org.cyphon.coordinator.machines;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.core.machine.Labels;
import org.cyphon.core.protocol.LabelRequest;
import org.cyphon.core.protocol.MachineView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /machines/{name}/labels} (admin): sets and removes the labels an admin gives a machine
 * ({@code cyphon machine NAME label k=v}, {@code unlabel k}). They override what its agent says,
 * and the scheduler matches jobs' requirements against them from its next pass.
 */
public final class LabelMachine {
    private static final Logger log = LoggerFactory.getLogger(LabelMachine.class);

    private final Database db;
    private final SchedulingLoop loop;
    private final ReadMachines read;

    public LabelMachine(Database db, SchedulingLoop loop, ReadMachines read) {
        this.db = db;
        this.loop = loop;
        this.read = read;
    }

    /** @throws ApiError 400 naming a bad label, 404 for an unknown machine; nothing is changed then */
    public MachineView change(String name, LabelRequest req, String by) {
        Map<String, String> set = req == null || req.set() == null ? Map.of() : req.set();
        List<String> remove = req == null || req.remove() == null ? List.of() : req.remove();
        if (set.isEmpty() && remove.isEmpty()) throw ApiError.badField("set", "give labels to set or names to remove");
        String problem = Labels.problem(set);
        if (problem != null) throw ApiError.badField("set", problem);
        for (String k : remove) {
            if (k == null || Labels.problem(k, "x") != null)
                throw ApiError.badField("remove", "'" + k + "' is not a label name");
        }
        Map<String, String> now = db.transactions().write(c -> {
            MachineRow m = MachineTable.byName(c, name);
            if (m == null) throw ReadMachines.noSuchMachine(name);
            Map<String, String> admin = new TreeMap<>(m.adminLabels());
            admin.putAll(set);
            remove.forEach(admin::remove);
            if (admin.size() > Labels.MAX_LABELS)
                throw ApiError.badField("set", "a machine carries at most " + Labels.MAX_LABELS + " admin labels");
            MachineTable.setAdminLabels(c, name, admin);
            return Labels.merge(m.agentLabels(), admin);
        });
        log.info("machine {}: labels set {} removed {} by {}; now {}", name, set, remove, by, Labels.show(now));
        loop.tell(new Fact.MachineLabelled(name, now));
        return read.show(name);
    }
}
