package org.cyphon.coordinator.desk;

import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.Duration;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.machines.DeskReports;
import org.cyphon.coordinator.machines.ReadMachines;
import org.cyphon.coordinator.store.Database;

/**
 * The coordinator's part in running the owners' desk VMs (issue 4): administrators' desk actions
 * relayed to the machines' agents, and the audit log of them. The agents carry the actions out;
 * the coordinator only queues, waits, and keeps the record.
 */
public final class DeskControl implements AutoCloseable {
    private final DeskCommandQueue queue = new DeskCommandQueue();
    private final DeskRoutes routes;

    /**
     * @param reports     the desks' latest views, from the heartbeats (which machines have a desk VM)
     * @param longPollMax the longest an agent's desk-command poll waits, as for its work poll
     */
    public DeskControl(
            Database db,
            Clock clock,
            Authenticate auth,
            ReadMachines machines,
            DeskReports reports,
            Duration longPollMax) {
        DeskAuditLog audit = new DeskAuditLog(db, clock);
        RunDeskAction run = new RunDeskAction(audit, queue, machines, reports);
        this.routes = new DeskRoutes(auth, run, queue, audit, reports, longPollMax);
    }

    /** Adds the desk routes to the API server. */
    public void register(JavalinDefaultRouting r, org.cyphon.coordinator.http.BodyTimeout bodyTimeout) {
        routes.register(r, bodyTimeout);
    }

    /** Ends the agents' waiting desk-command polls. */
    @Override
    public void close() {
        queue.close();
    }
}
