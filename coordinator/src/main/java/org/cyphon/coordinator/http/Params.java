package org.cyphon.coordinator.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;

/** Path and query parameters, checked: unknown query parameters are refused by name, like unknown JSON fields. */
final class Params {
    private Params() {}

    static void allowOnly(Context ctx, Set<String> allowed) {
        for (var e : ctx.queryParamMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.badField(
                        e.getKey(),
                        "unknown query parameter"
                                + (allowed.isEmpty()
                                        ? ""
                                        : " (known: "
                                                + String.join(
                                                        ", ",
                                                        allowed.stream()
                                                                .sorted()
                                                                .toList()) + ")"));
            }
            if (e.getValue().size() > 1) throw ApiError.badField(e.getKey(), "given more than once");
        }
    }

    /** A positive id from the path. */
    static long id(Context ctx, String name) {
        String s = ctx.pathParam(name);
        try {
            long v = Long.parseLong(s);
            if (v > 0) return v;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiError.badField(name, "must be a positive integer, got '" + abbreviate(s) + "'");
    }

    /** An optional integer query parameter within [min, max], or null when absent. */
    static Long optLong(Context ctx, String name, long min, long max) {
        String s = ctx.queryParam(name);
        if (s == null) return null;
        try {
            long v = Long.parseLong(s.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiError.badField(
                name, "must be an integer from " + min + " to " + max + ", got '" + abbreviate(s) + "'");
    }

    static String optString(Context ctx, String name) {
        String s = ctx.queryParam(name);
        return s == null || s.isBlank() ? null : s.trim();
    }

    static List<String> csv(String s) {
        return s == null
                ? List.of()
                : List.of(s.split(",")).stream()
                        .map(String::trim)
                        .filter(x -> !x.isEmpty())
                        .toList();
    }

    static String stream(String s, String field) {
        if ("stdout".equals(s) || "stderr".equals(s)) return s;
        throw ApiError.badField(field, "must be stdout or stderr, got '" + abbreviate(String.valueOf(s)) + "'");
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
