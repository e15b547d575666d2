package org.cyphon.coordinator.http;

import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;

/**
 * Checks the machine names in request paths ({@code {name}} under {@code /machines},
 * {@code {machine}} under {@code /agents}) before any route looks one up or writes one down (the
 * desk audit log records the name asked for): a name no machine can have is a 400 naming the rule
 * and the limit, not a database error about a column.
 */
final class MachineNamesInPaths {
    /** The names enrollment accepts (EnrollMachine), which the store's VARCHAR(128) columns hold. */
    static final int MAX_LENGTH = 128;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private MachineNamesInPaths() {}

    static void check(Context ctx) {
        for (var p : ctx.pathParamMap().entrySet()) {
            if (!p.getKey().equals("name") && !p.getKey().equals("machine")) continue;
            String v = p.getValue();
            if (v.length() > MAX_LENGTH) {
                throw ApiError.badField(
                        p.getKey(),
                        "a machine name is at most " + MAX_LENGTH + " characters, this one has " + v.length());
            }
            if (!NAME.matcher(v).matches()) {
                throw ApiError.badField(
                        p.getKey(),
                        "'" + Params.abbreviate(v)
                                + "' is not a machine name (letters, digits and ._-, starting with a letter or digit)");
            }
        }
    }
}
