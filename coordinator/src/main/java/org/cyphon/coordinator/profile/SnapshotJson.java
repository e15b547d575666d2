package org.cyphon.coordinator.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.cyphon.core.owner.UsageProfile;

/**
 * A profile's {@link UsageProfile.Snapshot} as stored in {@code usage_profiles.snapshot}: Jackson's
 * generic record serialization, so fields core adds later are stored without changes here. Reading
 * tolerates fields it does not know (a snapshot written by a newer coordinator).
 */
final class SnapshotJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SnapshotJson() {}

    static String write(UsageProfile.Snapshot s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a profile snapshot", e);
        }
    }

    static UsageProfile.Snapshot read(String json) {
        try {
            return JSON.readValue(json, UsageProfile.Snapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored profile snapshot is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
