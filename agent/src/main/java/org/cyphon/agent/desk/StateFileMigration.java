package org.cyphon.agent.desk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

/**
 * A guest's whole state into a file and back, with QEMU's migration: {@code migrate} to a shell
 * that writes, syncs and then renames the file into place, and {@code migrate-incoming} from it.
 * The rename by the same shell is what makes "the state file exists" mean "the state is complete".
 */
final class StateFileMigration {
    /** Migration into a local file is bounded by the disk: no throttling. */
    private static final long BANDWIDTH = 10L << 30;

    private StateFileMigration() {}

    /**
     * Streams the (already paused) guest's state to {@code partial}, syncs it, renames it to
     * {@code target}, and returns once {@code target} exists. QEMU stays in {@code postmigrate},
     * for the caller to end.
     */
    static void save(QmpConnection qmp, Path partial, Path target, Duration limit) throws IOException, DeskException {
        Files.deleteIfExists(partial);
        qmp.execute("migrate-set-parameters", Map.of("max-bandwidth", BANDWIDTH));
        qmp.execute(
                "migrate",
                Map.of(
                        "uri",
                        "exec:cat > " + quote(partial) + " && sync " + quote(partial) + " && mv -f " + quote(partial)
                                + " " + quote(target)));
        awaitCompletion(qmp, "save", limit);
        // QEMU says "completed" once it has written everything; the shell then syncs and renames.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(target)) {
            if (System.nanoTime() > deadline)
                throw DeskException.failed(target + " did not appear within 30 s after the save");
            sleep();
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Loads {@code state} into a QEMU started with {@code -incoming defer}; returns once loaded. */
    static void load(QmpConnection qmp, Path state, Duration limit) throws IOException, DeskException {
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + quote(state)));
        awaitCompletion(qmp, "restore", limit);
    }

    /** Waits for the migration (outgoing or incoming) to complete, failing with QEMU's reason. */
    private static void awaitCompletion(QmpConnection qmp, String what, Duration limit)
            throws IOException, DeskException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode m = qmp.execute("query-migrate");
            String status = m.path("status").asText("none");
            switch (status) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" ->
                    throw DeskException.failed(
                            what + " " + status + ": " + m.path("error-desc").asText("no reason given"));
                default -> {}
            }
            // An incoming migration that has finished can show in the run state before query-migrate says so.
            if (status.equals("none")
                    && !qmp.execute("query-status").path("status").asText().equals("inmigrate")) return;
            if (System.nanoTime() > deadline)
                throw DeskException.failed(what + " did not complete within " + limit.toSeconds() + " s");
            sleep();
        }
    }

    /** The shell sees the path in single quotes (the desk refuses state directories containing one). */
    private static String quote(Path path) {
        return "'" + path + "'";
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
