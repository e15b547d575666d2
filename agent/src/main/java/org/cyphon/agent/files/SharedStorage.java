package org.cyphon.agent.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the shared storage this desk declares ({@code [storage] shared}) is there right now: each
 * path a directory that is a mount of its own (or inside one) other than the root file system, that
 * answers. An automounted path is touched first, so the automounter mounts it; a path that still
 * shows only the automounter's placeholder counts as not mounted.
 *
 * <p>Each look runs on a thread of its own and is given {@link #ANSWER_WITHIN}: a file server that
 * stopped answering hangs whoever touches its mount, and it must not hang the heartbeat (or a job's
 * launch). A path whose last look has not come back is not mounted, and no second look is sent
 * after it until it does.
 */
public final class SharedStorage {
    private static final Logger log = LoggerFactory.getLogger(SharedStorage.class);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    private final List<String> paths;
    private final Path mountInfo;
    private final Map<String, CompletableFuture<String>> looking = new ConcurrentHashMap<>();
    private final Map<String, String> lastWhy = new ConcurrentHashMap<>();

    /** @param mountInfo {@code /proc/self/mountinfo} (tests give a copy) */
    public SharedStorage(List<String> paths, Path mountInfo) {
        this.paths = List.copyOf(paths);
        this.mountInfo = mountInfo;
    }

    public static SharedStorage of(StorageSettings s) {
        return new SharedStorage(s.shared(), Path.of("/proc/self/mountinfo"));
    }

    /** The declared paths; empty when the desk declares none. */
    public List<String> declared() {
        return paths;
    }

    /** The declared paths mounted and answering now; null when none is declared (the heartbeat says nothing). */
    public List<String> available() {
        if (paths.isEmpty()) return null;
        List<String> out = new ArrayList<>();
        for (String p : paths) if (why(p) == null) out.add(p);
        return out;
    }

    /**
     * Why {@code path} (one of the declared ones, or a path inside one) cannot be used now, or null
     * when it can.
     */
    public String why(String path) {
        String root = paths.stream()
                .filter(p -> org.cyphon.core.machine.SharedPaths.under(path, p))
                .findFirst()
                .orElse(null);
        if (root == null) return path + " is not shared storage on this desk ([storage] shared)";
        CompletableFuture<String> look = looking.compute(
                root,
                (k, running) -> running != null && !running.isDone()
                        ? running
                        : CompletableFuture.supplyAsync(
                                () -> look(Path.of(k)),
                                r -> Thread.ofVirtual()
                                        .name("cyphon-storage-look")
                                        .start(r)));
        String why;
        try {
            why = look.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            why = root + " does not answer (the file server may be down)";
        } catch (ExecutionException e) {
            why = root + ": " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = root + ": interrupted";
        }
        String before = why == null ? "" : why;
        String was = lastWhy.put(root, before);
        if (was != null && !was.equals(before))
            log.info("shared storage {}: {}", root, why == null ? "mounted again" : why);
        else if (was == null && why != null) log.warn("shared storage {}: {}", root, why);
        return why;
    }

    /** A fresh look at one path; null when it is mounted and answers. */
    String look(Path p) {
        try {
            if (!Files.isDirectory(p)) return p + " is not there (not a directory)";
            // Reading it wakes an automounter.
            try (DirectoryStream<Path> d = Files.newDirectoryStream(p)) {
                var unused = d.iterator().hasNext();
            }
            String fs = mountOf(p.toRealPath());
            if (fs == null) return p + " is not mounted (it is a directory of the root file system)";
            if (fs.equals("autofs")) return p + " is not mounted (the automounter did not mount it)";
            return null;
        } catch (IOException | RuntimeException e) {
            return p + " cannot be read: " + e.getMessage();
        }
    }

    /** The file system type of the mount {@code p} is on, or null when that is the root file system. */
    String mountOf(Path p) throws IOException {
        String best = null;
        String type = null;
        for (String line : Files.readAllLines(mountInfo)) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTS
            String[] f = line.split(" ");
            if (f.length < 10) continue;
            String point = unescape(f[4]);
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (dash < 0 || dash + 1 >= f.length) continue;
            if (!org.cyphon.core.machine.SharedPaths.under(p.toString(), point) && !point.equals("/")) continue;
            if (best == null || point.length() >= best.length()) {
                best = point;
                type = f[dash + 1];
            }
        }
        return best == null || best.equals("/") ? null : type;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else b.append(ch);
        }
        return b.toString();
    }
}
