package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code cyphon coordinator --data DIR --port 0} as a separate process, started from the packaged
 * jar with the JVM flags {@code ./cyphon coordinator} uses. Default configuration otherwise:
 * the figures are what a user gets out of the box.
 */
final class CoordinatorProcess implements CoordinatorUnderTest {
    private final ChildProcess process;
    private final Path dataDir;
    private final String url;
    private final String how;

    private CoordinatorProcess(ChildProcess process, Path dataDir, String url, String how) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.how = how;
    }

    /** @param extraJvmFlags added after the launcher's, e.g. a JFR recording for profiling */
    static CoordinatorProcess start(CyphonLauncher launcher, Path dataDir, Path log, List<String> extraJvmFlags)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        return start(launcher, dataDir, log, extraJvmFlags, "--data", dataDir.toString(), "--port", "0");
    }

    /**
     * {@code cyphon coordinator --config FILE --data DIR --port 0}: the file for what the defaults do
     * not give (another store), everything else as by default.
     */
    static CoordinatorProcess startWithConfig(
            CyphonLauncher launcher, Path config, Path dataDir, Path log, List<String> extraJvmFlags)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        return start(
                launcher,
                dataDir,
                log,
                extraJvmFlags,
                "--config",
                config.toString(),
                "--data",
                dataDir.toString(),
                "--port",
                "0");
    }

    private static CoordinatorProcess start(
            CyphonLauncher launcher, Path dataDir, Path log, List<String> extraJvmFlags, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = launcher.command("coordinator", extraJvmFlags, args);
        ChildProcess p = ChildProcess.start("coordinator", cmd, log);
        try {
            String url = p.awaitLine("coordinator listening on (http\\S+)", Duration.ofSeconds(90));
            List<String> flags = launcher.jvmFlags("coordinator");
            flags = new java.util.ArrayList<>(flags);
            flags.addAll(extraJvmFlags);
            return new CoordinatorProcess(
                    p,
                    dataDir,
                    url,
                    "separate process (java " + String.join(" ", flags) + " -jar cyphon.jar coordinator)");
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String adminToken() {
        return readToken("admin.token");
    }

    @Override
    public String enrollToken() {
        return readToken("enroll.token");
    }

    @Override
    public Path enrollTokenFile() {
        return dataDir.resolve("enroll.token");
    }

    private String readToken(String file) {
        try {
            return Files.readString(dataDir.resolve(file)).trim();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the coordinator wrote no " + dataDir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String how() {
        return how;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
