package org.cyphon.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The agent's Instant JSON reads and writes exactly what the coordinator's JavaTimeModule writes and reads. */
class InstantJsonTest {
    record Stamped(Instant at, Instant none) {}

    private static final ObjectMapper COORDINATOR = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ObjectMapper AGENT = new ObjectMapper().registerModule(InstantJson.module());

    @Test
    void whatEitherSideWritesTheOtherReadsToTheNanosecond() throws Exception {
        for (Instant at : new Instant[] {
            Instant.parse("2026-12-06T09:48:48.123456789Z"), Instant.parse("2026-12-06T09:48:48Z"), Instant.EPOCH
        }) {
            Stamped s = new Stamped(at, null);
            String theirs = COORDINATOR.writeValueAsString(s);
            String ours = AGENT.writeValueAsString(s);
            assertThat(ours).isEqualTo(theirs);
            assertThat(AGENT.readValue(theirs, Stamped.class)).isEqualTo(s);
            assertThat(COORDINATOR.readValue(ours, Stamped.class)).isEqualTo(s);
        }
    }

    @Test
    void epochSecondsAndOffsetsAreReadAndGarbageIsRefusedNamingTheValue() throws Exception {
        assertThat(AGENT.readValue("{\"at\": 1765014528}", Stamped.class).at())
                .isEqualTo(Instant.ofEpochSecond(1765014528));
        assertThat(AGENT.readValue("{\"at\": 1765014528.250000001}", Stamped.class)
                        .at())
                .isEqualTo(Instant.ofEpochSecond(1765014528, 250_000_001));
        assertThat(AGENT.readValue("{\"at\": \"2026-12-06T10:48:48+01:00\"}", Stamped.class)
                        .at())
                .isEqualTo(Instant.parse("2026-12-06T09:48:48Z"));
        assertThatThrownBy(() -> AGENT.readValue("{\"at\": \"yesterday\"}", Stamped.class))
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("yesterday");
    }
}
