package org.cyphon.coordinator.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Absence;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.protocol.AbsenceView;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.ProfileView;

/** Adds each machine's owner, absence and (on request) profile to its {@link MachineView}. */
public final class ProfileViews {
    private final TrackRecord record;

    public ProfileViews(TrackRecord record) {
        this.record = record;
    }

    /** @param withProfile the 168-hour profile and forecast too (one machine's view, not a listing) */
    public MachineView decorate(MachineView v, boolean withProfile) {
        DeskRecord d = record.desk(v.name());
        if (d == null) return v;
        Instant now = record.clock().instant();
        Absence a = d.absenceAt(now, record.lease());
        AbsenceView absence = a == null
                ? null
                : new AbsenceView(
                        a.kind() == Absence.Kind.DECLARED ? "declared" : "detected",
                        a.since(),
                        a.until(),
                        a.by(),
                        a.kind() == Absence.Kind.DECLARED ? d.declaredReason() : null);
        return v.withTrackRecord(d.owner(), absence, withProfile ? profile(d, now) : null);
    }

    private ProfileView profile(DeskRecord d, Instant now) {
        UsageProfile p = d.profile();
        List<Double> present = new ArrayList<>(UsageProfile.HOURS_PER_WEEK);
        List<Double> evidence = new ArrayList<>(UsageProfile.HOURS_PER_WEEK);
        for (int h = 0; h < UsageProfile.HOURS_PER_WEEK; h++) {
            present.add(round(p.presentProbability(h)));
            evidence.add(round(p.evidenceHours(h)));
        }
        OwnerState state = d.stateAt(now, record.lease());
        IdleForecast f = d.forecastAt(now, record.lease());
        ProfileView.ForecastView forecast = null;
        if (f != null) {
            Duration idle = d.idleFor(now, record.lease());
            forecast = new ProfileView.ForecastView(
                    f.now(),
                    idle.toSeconds(),
                    round(f.stayAway(Duration.ofHours(1))),
                    round(f.stayAway(Duration.ofHours(3))),
                    round(f.stayAway(Duration.ofHours(8))),
                    f.expectedRemaining().toSeconds(),
                    d.ownerExpectedBy(now, record.lease()));
        }
        return new ProfileView(
                p.settings().zone().getId(),
                present,
                evidence,
                p.learnedUntil(),
                state == null ? null : ProfileTables.wire(state),
                d.stateSinceAt(now, record.lease()),
                forecast);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
