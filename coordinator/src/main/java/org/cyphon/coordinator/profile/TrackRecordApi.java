package org.cyphon.coordinator.profile;

/** What the HTTP routes of the track record call. */
public record TrackRecordApi(TrackRecord record, DeclareAbsence declare, HistoryExport history, ProfileViews views) {
    public static TrackRecordApi over(TrackRecord record) {
        return new TrackRecordApi(
                record, new DeclareAbsence(record), new HistoryExport(record), new ProfileViews(record));
    }
}
