package org.cyphon.cli.client;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A plain-text table for terminals and {@code awk}: a header row, columns separated by two spaces
 * and padded to the widest cell, no trailing spaces, empty cells shown as "-" so every row has the
 * same number of whitespace-separated fields (as long as cells contain no spaces).
 */
public final class Table {
    private final String[] headers;
    private final BitSet rightAligned = new BitSet();
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = headers.clone();
    }

    /** Aligns these columns (0-based) to the right, as numbers read best. */
    public Table alignRight(int... columns) {
        for (int c : columns) rightAligned.set(c);
        return this;
    }

    /** Adds a row; null or empty cells print as "-"; missing trailing cells too. */
    public Table row(Object... cells) {
        String[] row = new String[headers.length];
        for (int i = 0; i < row.length; i++) {
            Object cell = i < cells.length ? cells[i] : null;
            String text = cell == null ? "" : cell.toString();
            row[i] = text.isEmpty() ? "-" : text.replace('\n', ' ');
        }
        rows.add(row);
        return this;
    }

    /** The number of rows added, not counting the header. */
    public int size() {
        return rows.size();
    }

    /** The table, one line per row including the header, each ending with a newline. */
    public String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) width[i] = length(headers[i]);
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], length(row[i]));
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, width);
        for (String[] row : rows) line(out, row, width);
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) line.append("  ");
            String pad = " ".repeat(width[i] - length(cells[i]));
            if (rightAligned.get(i)) line.append(pad).append(cells[i]);
            else line.append(cells[i]).append(pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    // Code points, not chars, so a name with an emoji does not shift the columns after it.
    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
