package org.cyphon.coordinator.ha;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.protocol.CoordinatorList;
import org.cyphon.core.protocol.CoordinatorView;

/** {@code GET /api/v1/coordinators}: every coordinator on the store, and who leads since when. */
public final class ListCoordinators {
    private final Database db;
    private final Clock clock;
    private final LeaderLease lease;

    public ListCoordinators(Database db, Clock clock, LeaderLease lease) {
        this.db = db;
        this.clock = clock;
        this.lease = lease;
    }

    public CoordinatorList list() {
        long now = clock.millis();
        return db.transactions().read(c -> {
            String holder;
            long epoch;
            long since;
            long expires;
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT holder, epoch, since_at, expires_at FROM coordinator_leader WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                holder = rs.getString(1);
                epoch = rs.getLong(2);
                since = rs.getLong(3);
                expires = rs.getLong(4);
            }
            // A lease that ran out names no leader, whatever the row still says.
            String leader = holder.isEmpty() || expires <= now ? null : holder;
            List<CoordinatorView> out = new ArrayList<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT id, url, started_at, last_seen FROM coordinators ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    out.add(new CoordinatorView(
                            id,
                            rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            id.equals(leader)));
                }
            }
            return new CoordinatorList(
                    out,
                    leader,
                    epoch,
                    leader == null ? null : Instant.ofEpochMilli(since),
                    leader == null ? null : Instant.ofEpochMilli(expires),
                    lease.id());
        });
    }
}
