package org.cyphon.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.cyphon.core.desk.AdminHold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An administrator's hold on the desk VM kept across agent restarts ({@code STATE_DIR/desk/hold.json}):
 * a restarted agent must not undo an administrator's resume any more than a recheck may.
 */
final class HoldFile {
    private static final Logger log = LoggerFactory.getLogger(HoldFile.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private HoldFile() {}

    /** The hold in {@code file}, or null when there is none (or no file is kept). */
    static AdminHold load(Path file) {
        if (file == null || !Files.exists(file)) return null;
        try {
            return JSON.readValue(file.toFile(), AdminHold.class);
        } catch (IOException | RuntimeException e) {
            log.warn("desk: ignoring an unreadable hold in {}: {}", file, e.getMessage());
            return null;
        }
    }

    /** Keeps {@code h} in {@code file} (atomically), or removes it when null; a failure is only logged. */
    static void store(Path file, AdminHold h) {
        if (file == null) return;
        try {
            if (h == null) {
                Files.deleteIfExists(file);
                return;
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(h));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("desk: the administrator's hold is not kept across agent restarts: {}", e.getMessage());
        }
    }
}
