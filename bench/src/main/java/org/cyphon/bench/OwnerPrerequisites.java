package org.cyphon.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code bench/run owner} needs from the machine, checked before anything starts, so a missing
 * package costs a one-line message naming the {@code apt-get} to run rather than a broken run.
 */
final class OwnerPrerequisites {
    /** A program on the PATH and the Debian package that provides it. */
    private record Tool(String program, String debianPackage, String usedFor) {}

    private static final List<Tool> TOOLS = List.of(
            new Tool("cyclictest", "rt-tests", "the owner's wake-up latency"),
            new Tool("xz", "xz-utils", "the owner's fixed CPU task"),
            new Tool("Xvfb", "xvfb", "the display the owner types on"),
            new Tool("xauth", "xauth", "the display's cookie (the agent finds it through Xvfb's -auth)"),
            new Tool("xdotool", "xdotool", "the owner's typing in (a)-(d)"),
            new Tool("gcc", "gcc", "compiling the (e) job that stamps the time every millisecond"));

    private OwnerPrerequisites() {}

    /** Problems, one per line, ending with the command that fixes the missing packages; empty if all is there. */
    static List<String> problems() {
        List<String> out = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        for (Tool t : TOOLS) {
            if (onPath(t.program()) == null) {
                out.add("no `" + t.program() + "` on the PATH (package " + t.debianPackage() + ", for " + t.usedFor()
                        + ")");
                packages.add(t.debianPackage());
            }
        }
        // gcc alone cannot build a program: the C library's headers come with libc6-dev.
        if (onPath("gcc") != null && !Files.isRegularFile(Path.of("/usr/include/time.h"))) {
            out.add("no /usr/include/time.h (package libc6-dev, for compiling the (e) job)");
            packages.add("libc6-dev");
        }
        if (!packages.isEmpty()) out.add("install with: apt-get install -y " + String.join(" ", packages));
        if (!isRoot()) {
            out.add(
                    "not root: cases (d) and (e) run a real agent whose jobs need writable cgroups (cpu.idle, freezer); run as root");
        }
        return out;
    }

    /** Effective uid 0, from /proc/self/status (user.name says who logged in, not who we run as). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:"))
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
            }
        } catch (IOException e) {
            // not Linux, or no /proc: treat as not root
        }
        return false;
    }

    static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
