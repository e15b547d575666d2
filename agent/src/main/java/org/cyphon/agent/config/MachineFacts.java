package org.cyphon.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this machine read from /proc, for defaults the admin did not set. */
public final class MachineFacts {
    private MachineFacts() {}

    /** MemTotal from /proc/meminfo, or the JVM's view of physical memory when /proc is unreadable. */
    public static long totalMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
