package org.cyphon.coordinator.desk;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.protocol.DeskAuditEntry;
import org.cyphon.core.protocol.DeskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk audit log: every desk action durably on record, with who asked and what came of it.
 * Each write is committed before the caller goes on (the store's group commit), so an action the
 * agent is asked to do is always on record first.
 */
final class DeskAuditLog {
    private static final Logger log = LoggerFactory.getLogger(DeskAuditLog.class);

    private final Database db;
    private final Clock clock;

    DeskAuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        long now = clock.millis();
        int abandoned = db.transactions()
                .write(c -> DeskAuditTable.abandonPending(
                        c,
                        "the coordinator stopped before the agent answered: the action may or may not have happened",
                        now));
        if (abandoned > 0)
            log.info("{} desk action(s) left pending by the previous coordinator marked unknown", abandoned);
    }

    /** Puts an action on record before it is carried out; returns its id. */
    long begin(Principal who, String machine, String action, String arguments) {
        long now = clock.millis();
        return db.transactions()
                .write(c -> DeskAuditTable.insert(
                        c, now, who.name(), role(who), machine, action, arguments, DeskAuditTable.PENDING, null));
    }

    /** Puts on record an action refused before it reached the agent (not allowed, no such machine, no desk). */
    void refused(Principal who, String machine, String action, String arguments, String why) {
        long now = clock.millis();
        long id = db.transactions()
                .write(c -> DeskAuditTable.insert(
                        c, now, who.name(), role(who), machine, action, arguments, "refused", why));
        log.info("desk action {} on {} by {} '{}': refused: {}", id, machine, role(who), who.name(), why);
    }

    /** Records what became of action {@code id}: {@code ok}, {@code refused}, {@code failed} or {@code unknown}. */
    void finish(long id, String machine, String result, String message) {
        long now = clock.millis();
        boolean changed = db.transactions().write(c -> DeskAuditTable.finish(c, id, machine, result, message, now));
        log.info(
                "desk action {} on {}: {}{}{}{}",
                id,
                machine,
                result,
                message == null ? "" : ": ",
                message == null ? "" : message,
                changed ? "" : " (already recorded)");
    }

    /**
     * Records the desk events {@code machine}'s agent sent (its keeper's transitions, its VM's own
     * life, its owner's actions at the desk), each once whatever the retries, in one transaction.
     *
     * @return how many were new
     */
    int recordEvents(String machine, List<DeskEvent> events) {
        int added = db.transactions().write(c -> {
            int n = 0;
            for (DeskEvent e : events) if (DeskAuditTable.insertEvent(c, machine, e)) n++;
            return n;
        });
        for (DeskEvent e : events)
            log.info(
                    "desk event on {} by {} '{}': {} {}: {}",
                    machine,
                    e.role(),
                    e.principal(),
                    e.action(),
                    e.result(),
                    e.message());
        return added;
    }

    /** The newest {@code limit} entries of {@code machine}, oldest first. */
    List<DeskAuditEntry> latest(String machine, int limit) {
        return db.transactions().read(c -> DeskAuditTable.latest(c, machine, limit));
    }

    private static String role(Principal p) {
        return p.role().name().toLowerCase(Locale.ROOT);
    }
}
