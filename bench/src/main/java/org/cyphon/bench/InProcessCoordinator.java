package org.cyphon.bench;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;

/**
 * The coordinator inside the benchmark's own JVM, default configuration, any free port. Less
 * honest than {@link CoordinatorProcess} (the load generator's allocation and GC land on the
 * coordinator's heap) but handy to profile both sides with one JFR recording.
 */
final class InProcessCoordinator implements CoordinatorUnderTest {
    private final Coordinator coordinator;
    private final Path dataDir;

    private InProcessCoordinator(Coordinator coordinator, Path dataDir) {
        this.coordinator = coordinator;
        this.dataDir = dataDir;
    }

    static InProcessCoordinator start(Path dataDir) throws Exception {
        return new InProcessCoordinator(
                Coordinator.start(CoordinatorConfig.defaults(dataDir).withPort(0)), dataDir);
    }

    @Override
    public String url() {
        return coordinator.url();
    }

    @Override
    public String adminToken() {
        return coordinator.adminToken();
    }

    @Override
    public String enrollToken() {
        return coordinator.enrollToken();
    }

    @Override
    public Path enrollTokenFile() {
        return dataDir.resolve("enroll.token");
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String how() {
        return "in the benchmark's JVM (shares its heap and GC with the load generator)";
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public void close() throws Exception {
        coordinator.close();
    }
}
