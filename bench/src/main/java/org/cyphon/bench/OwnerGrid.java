package org.cyphon.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A table with columns, for comparing the cases side by side (ResultTable has two columns: a
 * label and a value). Columns are left-aligned to their widest cell.
 */
final class OwnerGrid {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    OwnerGrid(String title, String... header) {
        this.title = title;
        rows.add(header);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    void print(PrintStream out) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        out.println(title);
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i + 1 < r.length) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
    }
}
