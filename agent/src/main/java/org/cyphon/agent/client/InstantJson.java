package org.cyphon.agent.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * JSON for the one {@code java.time} type the agent's wire and status files carry, {@link Instant},
 * as the coordinator writes it (Jackson's JavaTimeModule with dates not as timestamps): an ISO-8601
 * string such as {@code "2026-12-06T09:48:48.123Z"}; epoch seconds (a number) are read too.
 *
 * <p>Why not JavaTimeModule itself: registering it loads serializers and deserializers for every
 * {@code java.time} type, some 75 classes that an agent keeps for its whole life on someone's desk
 * (bench/run agent-idle) to read and write one type.
 */
public final class InstantJson {
    private InstantJson() {}

    /** The module to register on an ObjectMapper instead of JavaTimeModule. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("cyphon-instant");
        m.addSerializer(Instant.class, new Writer());
        m.addDeserializer(Instant.class, new Reader());
        return m;
    }

    private static final class Writer extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString()); // ISO-8601, as DateTimeFormatter.ISO_INSTANT writes it
        }
    }

    private static final class Reader extends StdDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            try {
                if (t == JsonToken.VALUE_STRING)
                    return Instant.parse(p.getText().trim());
                if (t == JsonToken.VALUE_NUMBER_INT) return Instant.ofEpochSecond(p.getLongValue());
                if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                    BigDecimal seconds = p.getDecimalValue();
                    long whole = seconds.longValue();
                    int nanos = seconds.subtract(BigDecimal.valueOf(whole))
                            .movePointRight(9)
                            .intValue();
                    return Instant.ofEpochSecond(whole, nanos);
                }
            } catch (DateTimeException | ArithmeticException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, p.getText(), "not an instant: %s", e);
            }
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
    }
}
