package org.cyphon.coordinator.power;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.WakeUpTable;
import org.cyphon.core.power.MacAddress;
import org.cyphon.core.protocol.NicView;
import org.cyphon.core.protocol.WakeReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a desk its magic packets: for each card it reported (for queued work, only those that may
 * wake), one to each of the card's broadcast addresses, or to {@code power.wake_broadcast} when set,
 * on {@code power.wake_port}. Every wake-up is recorded first (the machine's last wake-up, and a
 * {@code wake_ups} row), so the budget survives a restart and the record says who woke what.
 */
public final class WakeDesk {
    private static final Logger log = LoggerFactory.getLogger(WakeDesk.class);
    /** Where a card that reported no broadcast address is woken: the LAN the coordinator is on. */
    static final String LIMITED_BROADCAST = "255.255.255.255";

    static final String COORDINATOR = "coordinator";

    private final Database db;
    private final Clock clock;
    private final PowerSettings settings;
    private final SleepingDesks desks;
    private final MagicPackets packets;

    public WakeDesk(Database db, Clock clock, PowerSettings settings, SleepingDesks desks, MagicPackets packets) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.desks = desks;
        this.packets = packets;
    }

    /**
     * {@code cyphon machine NAME --wake}: every card the desk reported, asleep or not (an admin may
     * know better than ethtool).
     *
     * @throws ApiError 404 for an unknown machine, 409 when it never reported its cards
     */
    public WakeReply byAdmin(String machine, String admin) {
        boolean known = db.transactions().read(c -> MachineTable.byName(c, machine) != null);
        if (!known) throw ApiError.notFound("no machine '" + machine + "'");
        SleepingDesks.Desk d = desks.get(machine);
        if (d == null || d.nics().isEmpty())
            throw new ApiError(
                    409,
                    "machine '" + machine + "' never reported its network cards: its agent reports them when it"
                            + " puts the desk to sleep (agent.toml power.suspend_when_idle)",
                    null);
        String state = d.asleep() ? "asleep" : "awake";
        List<String> sent = send(machine, d.nics(), admin, false);
        return new WakeReply(machine, state, sent);
    }

    /** For queued work: the cards that may wake. @return what was sent; empty when nothing could be */
    List<String> forWork(String machine, List<Long> jobs) {
        SleepingDesks.Desk d = desks.get(machine);
        if (d == null) return List.of();
        List<NicView> cards = d.nics().stream().filter(NicView::mayWake).toList();
        if (cards.isEmpty()) return List.of();
        List<String> sent = send(machine, cards, COORDINATOR, true);
        log.info(
                "machine {}: woken for job(s) {} ({})",
                machine,
                jobs.size() <= 5 ? jobs.toString() : jobs.subList(0, 5) + " and " + (jobs.size() - 5) + " more",
                String.join(", ", sent));
        return sent;
    }

    private List<String> send(String machine, List<NicView> cards, String by, boolean automatic) {
        Instant now = clock.instant();
        db.transactions().write(c -> {
            MachineTable.wakeSent(c, machine, now.toEpochMilli(), by);
            WakeUpTable.insert(c, machine, now.toEpochMilli(), by, automatic);
            return null;
        });
        desks.wakeSent(machine, now, by);
        List<String> sent = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (NicView card : cards) {
            MacAddress mac = MacAddress.parse(card.mac()); // checked when the desk reported it
            for (String to : targets(card)) {
                String what = mac + " to " + to + ":" + settings.wakePort();
                try {
                    packets.send(mac, to, settings.wakePort());
                    sent.add(what);
                } catch (IOException | RuntimeException e) {
                    failed.add(what + " (" + e.getMessage() + ")");
                }
            }
        }
        if (!failed.isEmpty()) log.warn("machine {}: magic packet(s) not sent: {}", machine, String.join("; ", failed));
        if (sent.isEmpty())
            throw new ApiError(502, "no magic packet could be sent to machine '" + machine + "': " + failed, null);
        return sent;
    }

    private List<String> targets(NicView card) {
        if (!settings.wakeBroadcast().isEmpty()) return settings.wakeBroadcast();
        return card.broadcasts().isEmpty() ? List.of(LIMITED_BROADCAST) : card.broadcasts();
    }
}
