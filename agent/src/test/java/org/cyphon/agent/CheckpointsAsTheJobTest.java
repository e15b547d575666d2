package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's checkpoint is produced and restored by the job's own account (issue 12 item 3), tried
 * from inside real jobs of a root agent: links planted in the checkpoint directory to files only
 * root may read bring nothing of them into the archive, and an archive that would write outside the
 * checkpoint directory writes nothing at all, and its attempt says why.
 */
class CheckpointsAsTheJobTest {
    @TempDir
    Path tmp;

    private TestDesk desk;

    @AfterEach
    void stop() throws Exception {
        if (desk != null) desk.close();
    }

    @Test
    void linksToRootOnlyFilesAndFilesTheJobMayNotReadStayOutOfItsCheckpoint() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        String secret = "ROOT-ONLY-" + UUID.randomUUID();
        Path rootOnly = tmp.resolve("root-only.txt");
        Files.writeString(rootOnly, secret);
        Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rw-------"));
        String unreadable = "JOB-BUT-UNREADABLE-" + UUID.randomUUID();
        // The job plants links to root-only files, and a file of its own that it then may not read
        // (root could: only a pack with the job's rights leaves it out). A hard link to a file it does
        // not own is refused by the kernel (protected_hardlinks), so root plants one for it below, as
        // on a desk without that protection.
        String script = String.join(
                "\n",
                "d=\"$CYPHON_CHECKPOINT_DIR\"",
                "echo mine > \"$d/state\"",
                "ln -s /etc/shadow \"$d/shadow\"",
                "ln -s " + rootOnly + " \"$d/root-link\"",
                "ln " + rootOnly + " \"$d/hard\" 2>/dev/null && echo hard-linked || echo hard-link-refused",
                "echo " + unreadable + " > \"$d/unreadable\"; chmod 000 \"$d/unreadable\"",
                "touch planted",
                "while [ ! -e go ]; do sleep 0.1; done",
                "exit 85");
        WorkAssignment w = desk.job(21, script, 3600L, false);

        desk.assign(w);
        LocalAttempt a = await().atMost(TestDesk.PATIENCE)
                .until(() -> desk.attempt(w), at -> at != null && Files.exists(at.workDir.resolve("planted")));
        Path ckpt = a.workDir.resolve(".cyphon-checkpoint");
        Files.createLink(ckpt.resolve("hard-by-root"), rootOnly);
        Files.createFile(a.workDir.resolve("go"));
        desk.awaitEnded(w);

        byte[] archive = desk.coordinator.uploadedArchive(w.fencingToken());
        assertThat(archive).as("the checkpoint was stored").isNotNull();
        String bytes = new String(archive, StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain(secret).doesNotContain(unreadable);
        assertThat(bytes).as("nothing of /etc/shadow").doesNotContain("root:");
        Path unpacked = desk.coordinator.uploadedCheckpoint(w.fencingToken());
        try (Stream<Path> files = Files.list(unpacked)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state");
        }
        assertThat(desk.coordinator.output(w.fencingToken(), "stdout")).contains("hard-link");
    }

    @Test
    void anArchiveThatWouldWriteOutsideTheCheckpointWritesNothingAndItsAttemptSaysWhy() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        outside.toFile().setWritable(true, false);
        record Attack(String name, TarArchiveEntry first, String says) {}
        List<Attack> attacks = List.of(
                new Attack("climb", file("../escaped"), "climbs out of the checkpoint directory"),
                new Attack("absolute", file(outside.resolve("absolute").toString()), "is an absolute path"),
                new Attack("symlink", link("through", TarConstants.LF_SYMLINK, outside.toString()), "symbolic link"),
                new Attack("hardlink", link("hard", TarConstants.LF_LINK, "/etc/passwd"), "hard link"));
        long id = 30;
        for (Attack attack : attacks) {
            // A safe file first and the escape after it: nothing at all may be written.
            Path archive =
                    hostile(tmp.resolve(attack.name() + ".tar"), file("fine.txt"), attack.first(), file("through/x"));
            WorkAssignment w = desk.job(id++, "touch ran", 3600L, true);
            desk.coordinator.offerCheckpoint(w.fencingToken(), archive);

            desk.assign(w);
            desk.awaitEnded(w);
            LocalAttempt a = desk.attempt(w);
            try (Stream<Path> restored = Files.list(a.workDir.resolve(".cyphon-checkpoint"))) {
                assertThat(restored).as(attack.name()).isEmpty();
            }
            assertThat(a.workDir.resolve("escaped")).as(attack.name()).doesNotExist();
            assertThat(a.workDir.resolve("ran")).as("the job never started").doesNotExist();
            desk.agent.heartbeats().sendReports();
            AttemptReport r = desk.reportOf(w);
            assertThat(r.outcome()).as(attack.name()).isEqualTo(AttemptOutcome.FAILED_TO_START);
            assertThat(r.message())
                    .as(attack.name())
                    .contains("checkpoint refused, nothing restored")
                    .contains(attack.says());
        }
        try (Stream<Path> written = Files.list(outside)) {
            assertThat(written).as("nothing written outside").isEmpty();
        }
    }

    private static TarArchiveEntry file(String name) {
        return new TarArchiveEntry(name, true);
    }

    private static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        return e;
    }

    /** An archive made by hand, as a hostile desk could have had the coordinator store it. */
    private static Path hostile(Path archive, TarArchiveEntry... entries) throws Exception {
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
}
