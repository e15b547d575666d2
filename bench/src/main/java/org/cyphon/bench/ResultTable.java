package org.cyphon.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a benchmark prints: a title, an aligned two-column table of parameters and figures, then
 * one summary line. The summary is always the last line so scripts (and the README table) can
 * take it with {@code tail -n 1}.
 */
final class ResultTable {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    ResultTable(String title) {
        this.title = title;
    }

    ResultTable row(String label, String value) {
        rows.add(new String[] {label, value});
        return this;
    }

    /** An empty line then a sub-heading, to group the parameters apart from the figures. */
    ResultTable section(String heading) {
        rows.add(new String[] {"", null});
        rows.add(new String[] {heading, null});
        return this;
    }

    void print(PrintStream out, String summary) {
        int width = rows.stream()
                .filter(r -> r[1] != null)
                .mapToInt(r -> r[0].length())
                .max()
                .orElse(0);
        out.println(title);
        for (String[] r : rows) {
            if (r[1] == null) {
                out.println(r[0]);
            } else {
                out.println("  " + r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
            }
        }
        out.println();
        out.println(summary);
        out.flush();
    }
}
