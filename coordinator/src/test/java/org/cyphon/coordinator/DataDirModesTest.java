package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cyphon.coordinator.secrets.SecretsKey;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the coordinator writes in its data dir is its own user's: files 0600, directories
 * 0700 (the data dir itself 0711, for {@code cyphon up}'s agents' jobs), whatever the umask (this
 * JVM's is the usual 022, under which a plain create gives 0644 and 0755). A job running as
 * {@code nobody} on the same machine reads neither the database, nor other jobs' output, nor their
 * checkpoints, nor the secrets key. Existing installs are tightened at their next start.
 */
class DataDirModesTest {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path dir;

    /** Writes output and a checkpoint, so the data dir holds one of everything. */
    private static void fill(TestCoordinator c) {
        ApiClient alice = c.user("alice");
        TestAgent desk = c.agent("desk-1", 4);
        alice.post(
                        "/api/v1/jobs",
                        JobSubmission.builder()
                                .command(List.of("/bin/true"))
                                .checkpointEvery("auto")
                                .secretEnv(Map.of("K", "v"))
                                .build(),
                        SubmitReply.class)
                .ids();
        c.periodicWork().runAll();
        WorkAssignment w = desk.work(5000).get(0);
        assertThat(desk.api
                        .postBytes(
                                desk.path("/attempts/" + w.fencingToken() + "/output/stdout?offset=0"),
                                "output\n".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        assertThat(desk.putCheckpoint(w, "a checkpoint".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        // An input file, and half of another (an upload cut short): the store's blobs and parts.
        byte[] input = "an input file\n".getBytes(StandardCharsets.UTF_8);
        try {
            String sha = FilesTest.sha(input);
            assertThat(alice.putBytes("/api/v1/files/" + sha + "?size=" + input.length, input)
                            .status())
                    .isEqualTo(200);
            assertThat(alice.putBytes("/api/v1/files/" + "cd".repeat(32) + "?size=100", new byte[40])
                            .status())
                    .isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyFileIsTheCoordinatorsAloneAndNobodyReadsAny() throws Exception {
        // A world-searchable parent, so what keeps nobody out is the data dir's own modes.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = dir.resolve("data");
        try (TestCoordinator c = TestCoordinator.start(data)) {
            fill(c);
            List<Path> all = walk(data);
            assertThat(all).anyMatch(p -> p.startsWith(data.resolve("logs")) && Files.isRegularFile(p));
            assertThat(all).anyMatch(p -> p.startsWith(data.resolve("checkpoints")) && Files.isRegularFile(p));
            assertThat(all)
                    .anyMatch(p -> p.startsWith(data.resolve("files").resolve("blobs")) && Files.isRegularFile(p));
            assertThat(all)
                    .anyMatch(p -> p.startsWith(data.resolve("files").resolve("uploads")) && Files.isRegularFile(p));
            assertThat(all).contains(data.resolve(SecretsKey.FILE));
            assertThat(mode(data)).isEqualTo("rwx--x--x");
            for (Path p : all) {
                if (p.equals(data)) continue;
                Set<PosixFilePermission> m = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                m.retainAll(OTHERS);
                assertThat(m).as("group/other bits of %s (%s)", p, mode(p)).isEmpty();
            }

            if (!Files.isExecutable(Path.of("/usr/bin/setpriv")) || !runningAsRoot())
                throw new AssertionError("this test reads as nobody through setpriv(1), which needs root");
            List<Path> files = all.stream().filter(Files::isRegularFile).toList();
            assertThat(files).anyMatch(p -> p.startsWith(data.resolve("db")));
            for (Path f : files)
                assertThat(nobodyCanRead(f)).as("nobody reads %s", f).isFalse();
            // The check can fail: a file others may read, in the same parent, is read.
            Path open = Files.writeString(dir.resolve("open.txt"), "open");
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(nobodyCanRead(open)).isTrue();
        }
    }

    @Test
    void anExistingInstallIsTightenedAtStart() throws Exception {
        Path data = dir.resolve("data");
        try (TestCoordinator c = TestCoordinator.start(data)) {
            fill(c);
        }
        // As an older version left it: 0755 directories, 0644 files.
        for (Path p : walk(data))
            Files.setPosixFilePermissions(
                    p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        Path agents = Files.createDirectories(data.resolve("agents").resolve("desk"));
        try (TestCoordinator c = TestCoordinator.start(data)) {
            for (Path p : walk(data)) {
                if (p.equals(data) || p.startsWith(data.resolve("agents"))) continue;
                assertThat(mode(p)).as(p.toString()).isIn("rw-------", "rwx------");
            }
            assertThat(mode(data)).isEqualTo("rwx--x--x");
            // cyphon up's agents keep their own modes: their jobs reach their working directories.
            assertThat(mode(agents)).isEqualTo("rwxr-xr-x");
        }
    }

    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return new ArrayList<>(s.toList());
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean runningAsRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }

    private static boolean nobodyCanRead(Path file) throws Exception {
        Process p = new ProcessBuilder(
                        "/usr/bin/setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        "/bin/cat",
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }
}
