package org.cyphon.coordinator.files;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.text.Sizes;

/**
 * Lists of files in event messages, which hold at most 1,000 characters each: a head line, then
 * {@code name size} entries, carried over into as many further messages as the list needs, so the
 * job's events name every file and its size, however many there are.
 */
final class FileListMessages {
    static final int MAX = 1000;

    private FileListMessages() {}

    /** One file: a name and a size. */
    record Entry(String name, long size) {}

    /**
     * @param head   what the list is ("at exit: 3 files, 1.2G")
     * @param limit  most messages to make; past it the last says how many files were left out
     */
    static List<String> of(String head, List<Entry> entries, int limit) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder(head);
        String sep = ": ";
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String item = shorten(e.name()) + " " + Sizes.format(e.size());
            if (cur.length() + sep.length() + item.length() > MAX) {
                if (out.size() + 1 >= limit) {
                    String more = " and " + (entries.size() - i) + " more";
                    while (cur.length() + more.length() > MAX) cur.setLength(cur.lastIndexOf(","));
                    cur.append(more);
                    out.add(cur.toString());
                    return out;
                }
                out.add(cur.toString());
                cur = new StringBuilder("(continued)");
                sep = ": ";
            }
            cur.append(sep).append(item);
            sep = ", ";
        }
        out.add(cur.toString());
        return out;
    }

    private static String shorten(String name) {
        return name.length() > 200 ? name.substring(0, 100) + "..." + name.substring(name.length() - 97) : name;
    }
}
