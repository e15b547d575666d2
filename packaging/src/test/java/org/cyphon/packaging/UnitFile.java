package org.cyphon.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The settings of an installed systemd unit that a test needs to start what the unit starts. */
record UnitFile(Path file, List<String> lines) {

    static UnitFile read(Path file) throws IOException {
        return new UnitFile(file, Files.readAllLines(file));
    }

    /** The value of {@code key=} (the last one, as systemd reads it), or null. */
    String value(String key) {
        String found = null;
        for (String line : lines) {
            if (line.startsWith(key + "="))
                found = line.substring(key.length() + 1).strip();
        }
        return found;
    }

    /** {@code key=}'s command line, split as systemd splits one without quotes. */
    List<String> command(String key) {
        String v = value(key);
        if (v == null) throw new AssertionError(file + " has no " + key + "=");
        if (v.contains("\"") || v.contains("'")) throw new AssertionError(key + " with quotes is not split here: " + v);
        return List.of(v.split("\\s+"));
    }
}
