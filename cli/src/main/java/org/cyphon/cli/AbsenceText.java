package org.cyphon.cli;

import org.cyphon.core.protocol.AbsenceView;

/** An absence in words, for {@code cyphon away}, {@code machine} and {@code machines}. */
final class AbsenceText {
    private AbsenceText() {}

    /** "away until 2026-12-23T23:00:00Z (declared by alice: vacation)", "away since ... (detected)", "no absence". */
    static String describe(AbsenceView a) {
        if (a == null) return "no absence";
        if ("declared".equals(a.kind())) {
            return "away until " + a.until() + " (declared by " + a.by() + (a.reason() == null ? "" : ": " + a.reason())
                    + ")";
        }
        return "away since " + a.since() + " (detected: longer than usual)";
    }

    /** Short form for the machines table: "vacation until 12-23", "absent since 11-22". */
    static String cell(AbsenceView a) {
        if (a == null) return "";
        String day = (a.until() != null ? a.until() : a.since()).toString().substring(5, 10);
        return "declared".equals(a.kind()) ? "away until " + day : "absent since " + day;
    }
}
