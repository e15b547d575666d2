package org.cyphon.coordinator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.text.Sizes;

/**
 * Reads request bodies: at most {@code max_body} bytes (413 past it, whether or not the client
 * declared a length), then strict JSON into a protocol record, with every Jackson complaint turned
 * into a 400 that names the field ({@code reports[2].outcome}, {@code env.HOME}).
 */
final class RequestBodies {
    private final ObjectMapper json;
    private final long maxBytes;
    private final BodyTimeout timeout;

    RequestBodies(ObjectMapper json, long maxBytes, BodyTimeout timeout) {
        this.json = json;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /** How stalled bodies are cut off, for routes that stream theirs (checkpoints). */
    BodyTimeout timeout() {
        return timeout;
    }

    byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge();
        byte[] b = timeout.read(ctx, in -> in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16)));
        if (b.length > maxBytes) throw tooLarge();
        return b;
    }

    <T> T json(Context ctx, Class<T> type) {
        return parse(bytes(ctx), type);
    }

    /** A body already read ({@link #bytes}), as {@link #json} reads it. */
    <T> T parse(byte[] b, Class<T> type) {
        if (isBlank(b)) throw ApiError.badField("body", "a JSON object is required");
        T value;
        try {
            value = json.readValue(b, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiError(400, field + ": unknown field" + known(e.getKnownPropertyIds()), field);
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) throw ApiError.badField("body", "must be a JSON object");
            throw ApiError.badField(field, "expected " + describe(e.getTargetType()));
        } catch (ValueInstantiationException e) {
            // A wire enum's fromWire refused the value: its message names the value and the ones accepted.
            String field = path(e);
            String problem = e.getCause() instanceof IllegalArgumentException refused
                    ? refused.getMessage()
                    : clean(e.getOriginalMessage());
            throw ApiError.badField(field.isEmpty() ? "body" : field, problem);
        } catch (DatabindException e) {
            String field = path((JsonMappingException) e);
            if (e.getCause() instanceof InputCoercionException range && !field.isEmpty()) {
                throw ApiError.badField(field, "number out of range: " + clean(range.getOriginalMessage()));
            }
            if (e.getCause() instanceof StreamReadException broken) throw malformed(broken);
            throw ApiError.badField(field.isEmpty() ? "body" : field, clean(e.getOriginalMessage()));
        } catch (StreamReadException e) {
            // Numbers out of range are parser errors; the field is where the parser stood.
            String field = fieldAt(e.getProcessor());
            if (e instanceof InputCoercionException && field != null) {
                throw ApiError.badField(field, "number out of range: " + clean(e.getOriginalMessage()));
            }
            throw malformed(e);
        } catch (IOException e) {
            throw new ApiError(400, "could not read the request body: " + e.getMessage(), "body");
        }
        if (value == null) throw ApiError.badField("body", "a JSON object is required, not null");
        return value;
    }

    private static ApiError malformed(StreamReadException e) {
        long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
        return ApiError.badField(
                "body",
                "malformed JSON: " + clean(e.getOriginalMessage()) + (at < 0 ? "" : " (at character " + at + ")"));
    }

    /** Jackson's messages, minus the note about the source it was told not to include. */
    private static String clean(String m) {
        return m == null ? "" : m.replaceAll("\\[Source: [^;]*; ", "[");
    }

    private ApiError tooLarge() {
        return new ApiError(413, "body: request body is over the " + Sizes.format(maxBytes) + " limit", "body");
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (x != ' ' && x != '\n' && x != '\r' && x != '\t') return false;
        return true;
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String fieldAt(Object processor) {
        if (!(processor instanceof JsonParser p)) return null;
        try {
            return p.currentName();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) return "";
        return " (known: "
                + String.join(", ", ids.stream().map(Object::toString).sorted().toList()) + ")";
    }

    private static String describe(Class<?> t) {
        if (t == null) return "a different type";
        if (t == String.class) return "a string";
        if (t == Boolean.class || t == boolean.class) return "true or false";
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "an integer";
        if (Number.class.isAssignableFrom(t) || t.isPrimitive()) return "a number";
        if (List.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t) || t.isArray()) return "a list";
        if (Map.class.isAssignableFrom(t) || t.isRecord()) return "an object";
        return "a " + t.getSimpleName();
    }
}
