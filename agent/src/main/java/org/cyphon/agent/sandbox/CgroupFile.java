package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes cgroup control files. Every failure names the file and the value, because the
 * kernel's own answer ("Invalid argument", "Device or resource busy") says neither.
 */
final class CgroupFile {
    private CgroupFile() {}

    /**
     * Writes {@code value} in one {@code write(2)}; never creates the file (a missing control file
     * means a missing controller, which must not turn into a stray regular file).
     */
    static void write(Path file, String value) throws IOException {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + reason(e), e);
        }
    }

    static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /** The number after {@code key} in a flat-keyed file such as {@code memory.events}; -1 when absent. */
    static long readKeyed(Path file, String key) throws IOException {
        for (String line : read(file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
        }
        return -1;
    }

    /** Pids listed in a {@code cgroup.procs} file; empty when the group is gone. */
    static List<Long> pids(Path procsFile) throws IOException {
        List<Long> pids = new ArrayList<>();
        String text;
        try {
            text = read(procsFile);
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchFileException) return pids;
            throw e;
        }
        for (String line : text.split("\n")) {
            if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
        }
        return pids;
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
