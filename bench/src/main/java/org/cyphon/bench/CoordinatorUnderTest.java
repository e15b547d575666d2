package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The coordinator a benchmark talks to, wherever it runs: as its own process
 * ({@link CoordinatorProcess}, the honest setup: the load generator has its own JVM, heap and GC)
 * or inside the benchmark's JVM ({@link InProcessCoordinator}, for profiling both sides at once).
 */
interface CoordinatorUnderTest extends AutoCloseable {
    String url();

    String adminToken();

    String enrollToken();

    Path enrollTokenFile();

    Path dataDir();

    /** How it runs, for the result table, e.g. "separate process (java -XX:+UseParallelGC ...)". */
    String how();

    /** Its own process, when it has one (for CPU accounting); empty in-process. */
    OptionalLong pid();

    @Override
    void close() throws Exception;

    /**
     * Which store the coordinator's data directory holds, judged from the files it wrote there
     * (the benchmark states what it measured rather than what it assumes the defaults are).
     */
    default String store() {
        try (Stream<Path> files = Files.walk(dataDir())) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".mv.db"))
                    ? "H2 file"
                    : "no H2 file in the data dir (external database?)";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
