package org.cyphon.coordinator.power;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.schedule.WorkMailboxes;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.core.power.MacAddress;
import org.cyphon.core.protocol.NicView;
import org.cyphon.core.protocol.SleepNotice;
import org.cyphon.core.protocol.SleepReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /agents/{m}/sleep}: a desk says it is going to sleep. Refused (409) while it holds a
 * live attempt or has work waiting in its mailbox: the coordinator has something for it, so it
 * stays awake. Taken, the desk is {@code asleep}: offered no work, not counted offline or lost,
 * its owner counted away in its track record, and woken by Wake-on-LAN through the cards it listed
 * when queued work needs it ({@link WakeForQueuedWork}) or an admin asks ({@link WakeDesk}).
 */
public final class GoToSleep {
    private static final Logger log = LoggerFactory.getLogger(GoToSleep.class);
    private static final int MAX_INTERFACES = 64;
    private static final Set<String> WAKE_STATES =
            Set.of(NicView.ENABLED, NicView.DISABLED, NicView.UNSUPPORTED, NicView.UNKNOWN);

    private final Database db;
    private final Clock clock;
    private final SchedulingLoop loop;
    private final WorkMailboxes mailboxes;
    private final SleepingDesks desks;
    private final org.cyphon.coordinator.profile.TrackRecord trackRecord;

    public GoToSleep(
            Database db,
            Clock clock,
            SchedulingLoop loop,
            WorkMailboxes mailboxes,
            SleepingDesks desks,
            org.cyphon.coordinator.profile.TrackRecord trackRecord) {
        this.db = db;
        this.clock = clock;
        this.loop = loop;
        this.mailboxes = mailboxes;
        this.desks = desks;
        this.trackRecord = trackRecord;
    }

    /** @throws ApiError 400 naming a bad field, 404 for an unknown machine, 409 while it has work */
    public SleepReply sleep(String machine, SleepNotice notice) {
        List<NicView> nics = validate(notice);
        String how = notice.how().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        String nicsJson = SleepingDesks.writeNics(nics);
        db.transactions().write(c -> {
            if (MachineTable.byName(c, machine) == null)
                throw ApiError.notFound("machine '" + machine + "' is not enrolled");
            int live = AttemptTable.liveOn(c, machine).size();
            if (live > 0)
                throw new ApiError(
                        409, "machine '" + machine + "' holds " + live + " live attempt(s): it stays awake", null);
            if (!mailboxes.pendingTokens(machine).isEmpty())
                throw new ApiError(409, "work is on its way to machine '" + machine + "': it stays awake", null);
            MachineTable.asleep(c, machine, now.toEpochMilli(), how, nicsJson);
            return null;
        });
        desks.asleep(machine, now, how, nics);
        loop.tell(new Fact.MachineAsleep(machine));
        trackRecord.asleep(machine, notice.desk());
        boolean wakeable = nics.stream().anyMatch(NicView::mayWake);
        log.info(
                "machine {} is going to sleep ({}); {}",
                machine,
                how,
                wakeable
                        ? "wakes by Wake-on-LAN at "
                                + String.join(
                                        ", ",
                                        nics.stream()
                                                .filter(NicView::mayWake)
                                                .map(n -> n.name() + " " + n.mac())
                                                .toList())
                        : "no card it reported wakes by Wake-on-LAN: it sleeps until its owner wakes it");
        return new SleepReply(now, wakeable);
    }

    private static List<NicView> validate(SleepNotice n) {
        if (n == null) throw ApiError.badField("body", "a sleep notice object is required");
        if (n.how() == null || !Set.of("suspend", "hibernate").contains(n.how().toLowerCase(Locale.ROOT)))
            throw ApiError.badField("how", "must be suspend or hibernate, got " + n.how());
        List<NicView> nics = n.interfaces();
        if (nics.size() > MAX_INTERFACES)
            throw ApiError.badField("interfaces", "lists " + nics.size() + " cards; at most " + MAX_INTERFACES);
        for (int i = 0; i < nics.size(); i++) {
            NicView c = nics.get(i);
            String at = "interfaces[" + i + "]";
            if (c == null) throw ApiError.badField(at, "is null");
            if (c.name() == null || !c.name().matches("[A-Za-z0-9._@:-]{1,15}"))
                throw ApiError.badField(at + ".name", "is not an interface name, got " + c.name());
            try {
                MacAddress.parse(c.mac());
            } catch (IllegalArgumentException e) {
                throw ApiError.badField(at + ".mac", e.getMessage());
            }
            if (!WAKE_STATES.contains(c.wakeOnLan()))
                throw ApiError.badField(
                        at + ".wakeOnLan", "must be enabled, disabled, unsupported or unknown, got " + c.wakeOnLan());
            if (c.detail() != null && c.detail().length() > 500)
                throw ApiError.badField(at + ".detail", "is longer than 500 characters");
            if (c.broadcasts().size() > 16) throw ApiError.badField(at + ".broadcasts", "lists more than 16 addresses");
            for (String b : c.broadcasts()) {
                if (!Ipv4.isLiteral(b))
                    throw ApiError.badField(at + ".broadcasts", "'" + b + "' is not an IPv4 address");
            }
        }
        return nics;
    }
}
