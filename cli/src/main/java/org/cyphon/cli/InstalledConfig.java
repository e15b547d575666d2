package org.cyphon.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cyphon.cli.client.InvalidInput;

/**
 * Where an installed Cyphon keeps {@code coordinator.toml} and {@code agent.toml}: the directory in
 * {@code CYPHON_CONFIG_DIR}, which the package's launcher sets to {@code /etc/cyphon}. A git
 * clone's {@code ./cyphon} does not set it, so there nothing changes.
 */
final class InstalledConfig {
    static final String VARIABLE = "CYPHON_CONFIG_DIR";

    private InstalledConfig() {}

    /**
     * {@code CYPHON_CONFIG_DIR/name}, or null when the variable is not set.
     *
     * @throws InvalidInput naming the file when the variable is set but the file is not there
     */
    static Path file(Map<String, String> env, String name) {
        String dir = env.get(VARIABLE);
        if (dir == null || dir.isBlank()) return null;
        Path file = Path.of(dir).resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInput(
                    VARIABLE + "=" + dir + " but " + file + " does not exist; give --config FILE or restore it");
        }
        return file;
    }
}
