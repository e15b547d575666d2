package org.cyphon.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The labels an agent reports for its machine, so jobs can require them ({@code --require os=linux}):
 * what it finds itself ({@code os}, {@code arch}, and {@code gpu} when a GPU driver shows one),
 * overridden by agent.toml's {@code [labels]}.
 */
public final class MachineLabels {
    private MachineLabels() {}

    public static Map<String, String> of(Map<String, String> configured) {
        Map<String, String> out = new TreeMap<>(detected());
        out.putAll(configured);
        return Map.copyOf(out);
    }

    /** What the agent finds itself, whatever agent.toml says: what enrollment reports as measured. */
    public static Map<String, String> detected() {
        return detected(Path.of("/proc/driver/nvidia/gpus"), Path.of("/dev/kfd"));
    }

    /**
     * @param nvidiaGpus the NVIDIA driver's per-GPU directory
     * @param amdKfd AMD's compute device
     */
    static Map<String, String> detected(Path nvidiaGpus, Path amdKfd) {
        Map<String, String> out = new TreeMap<>();
        out.put("os", os(System.getProperty("os.name", "")));
        out.put("arch", arch(System.getProperty("os.arch", "")));
        if (hasEntries(nvidiaGpus)) out.put("gpu", "nvidia");
        else if (Files.exists(amdKfd)) out.put("gpu", "amd");
        return out;
    }

    static String os(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) return "linux";
        if (n.startsWith("mac") || n.startsWith("darwin")) return "macos";
        if (n.startsWith("windows")) return "windows";
        String clean = n.replaceAll("[^a-z0-9_.-]", "");
        return clean.isEmpty() ? "unknown" : clean;
    }

    /** One name per architecture whatever the JVM calls it: amd64 is x86_64, arm64 is aarch64. */
    static String arch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> a.isEmpty() ? "unknown" : a.replaceAll("[^a-z0-9_.-]", "");
        };
    }

    private static boolean hasEntries(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }
}
