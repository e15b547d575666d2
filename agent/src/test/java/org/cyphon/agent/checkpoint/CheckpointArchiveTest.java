package org.cyphon.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing a checkpoint directory and unpacking it elsewhere, and every way an archive or a job could abuse that. */
class CheckpointArchiveTest {
    static final long MAX = 1L << 20;

    @TempDir
    Path temp;

    private Path dir(String name) throws IOException {
        return Files.createDirectory(temp.resolve(name));
    }

    private static void write(Path f, String text) throws IOException {
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void nestedDirectoriesComeBackWithContentModesAndTimes() throws Exception {
        Path src = dir("src");
        write(src.resolve("state.bin"), "step=41");
        write(src.resolve("deep/er/still/weights.txt"), "0.1 0.2 0.3");
        String longName = "x".repeat(150) + "/" + "y".repeat(120) + ".dat"; // past ustar's 100 characters
        write(src.resolve(longName), "long");
        write(src.resolve("ünïcode/naïve.txt"), "utf-8 names");
        Files.createDirectories(src.resolve("empty/dir"));
        Path script = src.resolve("resume.sh");
        write(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        FileTime when = FileTime.from(Instant.parse("2026-01-02T03:04:05Z"));
        Files.setLastModifiedTime(src.resolve("state.bin"), when);

        Path archive = temp.resolve("cp.tar");
        CheckpointArchive.Packed packed = CheckpointArchive.pack(src, archive, MAX);
        Path dst = dir("dst");
        int files = CheckpointArchive.unpack(archive, dst, MAX);

        assertThat(packed.files()).isEqualTo(5).isEqualTo(files);
        assertThat(packed.skipped()).isZero();
        assertThat(tree(dst)).isEqualTo(tree(src));
        assertThat(Files.readString(dst.resolve("deep/er/still/weights.txt"))).isEqualTo("0.1 0.2 0.3");
        assertThat(Files.readString(dst.resolve(longName))).isEqualTo("long");
        assertThat(Files.readString(dst.resolve("ünïcode/naïve.txt"))).isEqualTo("utf-8 names");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("resume.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.getLastModifiedTime(dst.resolve("state.bin")).toInstant())
                .isEqualTo(when.toInstant());
        assertThat(packed.contentBytes()).isEqualTo(7 + 11 + 4 + 11 + 10);
    }

    @Test
    void theSameDirectoryMakesTheSameArchive() throws Exception {
        Path src = dir("src");
        for (String n : List.of("b", "a", "c/d", "c/a")) write(src.resolve(n), n);
        CheckpointArchive.pack(src, temp.resolve("1.tar"), MAX);
        CheckpointArchive.pack(src, temp.resolve("2.tar"), MAX);
        assertThat(Files.readAllBytes(temp.resolve("1.tar"))).isEqualTo(Files.readAllBytes(temp.resolve("2.tar")));
    }

    @Test
    void linksAndSpecialFilesInTheDirectoryAreNeverFollowedNorStored() throws Exception {
        Path secret = temp.resolve("secret.txt");
        write(secret, "root's secret");
        Path src = dir("src");
        write(src.resolve("state"), "ok");
        Files.createSymbolicLink(src.resolve("link-to-secret"), secret);
        Files.createSymbolicLink(src.resolve("link-to-dir"), temp);
        mkfifo(src.resolve("fifo"));

        Path archive = temp.resolve("cp.tar");
        CheckpointArchive.Packed packed = CheckpointArchive.pack(src, archive, MAX);
        Path dst = dir("dst");
        CheckpointArchive.unpack(archive, dst, MAX);

        assertThat(tree(dst)).containsExactly("state");
        assertThat(packed.skipped()).isEqualTo(3);
        assertThat(new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1))
                .doesNotContain("root's secret");
    }

    @Test
    void aCheckpointDirectorySwappedForALinkIsRefused() throws Exception {
        Path real = dir("elsewhere");
        write(real.resolve("x"), "not the job's");
        Path job = dir("job");
        Path link = Files.createSymbolicLink(job.resolve(CheckpointDir.NAME), real);

        assertThatThrownBy(() -> CheckpointArchive.pack(link, temp.resolve("cp.tar"), MAX))
                .isInstanceOf(IOException.class);
        assertThat(temp.resolve("cp.tar")).doesNotExist();
    }

    @Test
    void filesOfAnotherOwnerAreLeftOut() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file away");
        Path src = dir("src");
        write(src.resolve("mine"), "job's");
        write(src.resolve("not-mine"), "a hard link to someone else's file looks like this");
        UserPrincipal nobody =
                src.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(src.resolve("not-mine"), nobody);

        CheckpointArchive.Packed packed = CheckpointArchive.pack(src, temp.resolve("cp.tar"), MAX);
        Path dst = dir("dst");
        CheckpointArchive.unpack(temp.resolve("cp.tar"), dst, MAX);

        assertThat(tree(dst)).containsExactly("mine");
        assertThat(packed.skipped()).isEqualTo(1);
    }

    @Test
    void bothDirectionsStopAtTheSizeLimit() throws Exception {
        Path src = dir("src");
        write(src.resolve("a"), "x".repeat(600));
        write(src.resolve("b"), "y".repeat(600));
        assertThatThrownBy(() -> CheckpointArchive.pack(src, temp.resolve("cp.tar"), 1000))
                .isInstanceOf(CheckpointTooLargeException.class)
                .hasMessageContaining("checkpoint.max_size");
        assertThat(temp.resolve("cp.tar")).as("no half archive left").doesNotExist();

        CheckpointArchive.pack(src, temp.resolve("cp.tar"), 2000);
        assertThatThrownBy(() -> CheckpointArchive.unpack(temp.resolve("cp.tar"), dir("dst"), 1000))
                .isInstanceOf(CheckpointTooLargeException.class);
    }

    /** An archive made by hand, as a hostile or broken coordinator could serve it. */
    private Path hostile(TarArchiveEntry... entries) throws IOException {
        Path archive = temp.resolve("hostile-" + System.nanoTime() + ".tar");
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry e : entries) {
                byte[] body = e.isFile() && !e.isSymbolicLink() && !e.isLink()
                        ? "pwned".getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
                if (body.length > 0) e.setSize(body.length);
                tar.putArchiveEntry(e);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private static TarArchiveEntry file(String name) {
        return new TarArchiveEntry(name, true);
    }

    private static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        return e;
    }

    @Test
    void entriesThatClimbOutAreRefusedBeforeAnythingIsWrittenThere() throws Exception {
        Path outside = temp.resolve("outside.txt");
        for (String name : List.of("../outside.txt", "sub/../../outside.txt", "/" + outside, "./a/../../outside.txt")) {
            Path dst = dir("dst-" + Integer.toHexString(name.hashCode()));
            Path archive = hostile(file("fine.txt"), file(name));
            assertThatThrownBy(() -> CheckpointArchive.unpack(archive, dst, MAX))
                    .as(name)
                    .isInstanceOf(UnsafeArchiveException.class);
            assertThat(outside).as(name).doesNotExist();
        }
    }

    @Test
    void linksDevicesAndFifosInAnArchiveAreRefused() throws Exception {
        Path passwd = Path.of("/etc/passwd");
        String before = Files.readString(passwd);
        record Case(TarArchiveEntry entry, String says) {}
        for (Case c : List.of(
                new Case(link("evil", TarConstants.LF_SYMLINK, "/etc/passwd"), "symbolic link"),
                new Case(link("hard", TarConstants.LF_LINK, "/etc/passwd"), "hard link"),
                new Case(new TarArchiveEntry("dev", TarConstants.LF_CHR, true), "device"),
                new Case(new TarArchiveEntry("pipe", TarConstants.LF_FIFO, true), "FIFO"))) {
            Path dst = dir("dst-" + c.says().replace(' ', '-'));
            // The classic escape: a link first, then a file written "through" it.
            Path archive = hostile(c.entry(), file(c.entry().getName() + "-then"));
            assertThatThrownBy(() -> CheckpointArchive.unpack(archive, dst, MAX))
                    .isInstanceOf(UnsafeArchiveException.class)
                    .hasMessageContaining(c.says());
            assertThat(tree(dst)).isEmpty();
        }
        assertThat(Files.readString(passwd)).isEqualTo(before);
    }

    @Test
    void restoredFilesLoseSetIdBits() throws Exception {
        TarArchiveEntry e = file("tool");
        e.setMode(0104755); // set-user-ID root, in a world where the agent unpacks as root
        Path dst = dir("dst");
        CheckpointArchive.unpack(hostile(e), dst, MAX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("tool"))))
                .isEqualTo("rwxr-xr-x");
        assertThat((Integer) Files.getAttribute(dst.resolve("tool"), "unix:mode") & 07000)
                .isZero();
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
    }
}
