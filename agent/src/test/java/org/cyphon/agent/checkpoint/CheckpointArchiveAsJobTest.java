package org.cyphon.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.cyphon.agent.sandbox.JobAccounts;
import org.cyphon.agent.sandbox.JobUser;
import org.cyphon.agent.sandbox.TestSlotAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packing and restoring as a job's own account: the archive passes through a pipe between the
 * agent (root) and a process of that account, so what it packs is what the account may read, and
 * what it restores belongs to the account.
 */
class CheckpointArchiveAsJobTest {
    static final long MAX = 1L << 20;
    final String prefix = "cya" + UUID.randomUUID().toString().substring(0, 6) + "-";

    @TempDir
    Path temp;

    JobAccounts.Account account;
    JobUser user;
    JobAccountArchiver archiver;

    @BeforeEach
    void takeAnAccount() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "acting as another account needs root");
        temp.toFile().setExecutable(true, false); // the account reaches its directories through it
        account = JobAccounts.of("slot", prefix, 1, temp.resolve("locks")).take("alice");
        user = JobUser.lookup(account.user());
        archiver = JobAccountArchiver.prepare(temp.resolve("job-side"));
    }

    @AfterEach
    void giveItBack() throws Exception {
        if (account != null) account.close();
        TestSlotAccounts.removeAll(prefix, 2);
    }

    /** A directory of the account's, in a work directory of its own (as the agent makes them). */
    private Path owned(String name) throws Exception {
        Path work = temp.resolve("work-" + name);
        Path d = Files.createDirectories(work.resolve(name));
        user.handOver(work);
        return d;
    }

    @Test
    void aCheckpointGoesThroughTheAccountsOwnProcessBothWaysWithNamesModesAndOwner() throws Exception {
        Path src = owned("src");
        Files.createDirectories(src.resolve("ünïcode/deep"));
        Files.writeString(src.resolve("ünïcode/deep/naïve.txt"), "utf-8 names", StandardCharsets.UTF_8);
        Files.writeString(src.resolve("state"), "step=41");
        Files.setPosixFilePermissions(src.resolve("state"), PosixFilePermissions.fromString("rwxr-x---"));
        user.handOver(src);

        Path archive = temp.resolve("cp.tar");
        CheckpointArchive.Packed packed = CheckpointArchive.pack(src, archive, MAX, archiver, user);
        Path dst = owned("dst");
        int files = CheckpointArchive.unpack(archive, dst, MAX, archiver, user);

        assertThat(packed.files()).isEqualTo(2).isEqualTo(files);
        assertThat(Files.readString(dst.resolve("ünïcode/deep/naïve.txt"))).isEqualTo("utf-8 names");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("state"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.getAttribute(dst.resolve("state"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .as("restored by the account, so its own")
                .isEqualTo(user.uid());
    }

    @Test
    void whatTheAccountMayNotReadIsLeftOutThoughRootCouldReadIt() throws Exception {
        Path src = owned("src");
        Files.writeString(src.resolve("state"), "ok");
        Files.writeString(src.resolve("locked"), "NOT-FOR-THE-JOB");
        Files.createDirectory(src.resolve("closed"));
        Files.writeString(src.resolve("closed/inside"), "NOT-FOR-THE-JOB-EITHER");
        user.handOver(src);
        Files.setPosixFilePermissions(src.resolve("locked"), PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(src.resolve("closed"), PosixFilePermissions.fromString("---------"));

        Path archive = temp.resolve("cp.tar");
        CheckpointArchive.Packed packed = CheckpointArchive.pack(src, archive, MAX, archiver, user);

        assertThat(packed.files()).isEqualTo(1);
        assertThat(packed.skipped()).isEqualTo(2);
        assertThat(new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1))
                .doesNotContain("NOT-FOR-THE-JOB");
    }

    @Test
    void theAgentsSizeCapHoldsForWhatTheAccountsProcessSends() throws Exception {
        Path src = owned("src");
        Files.writeString(src.resolve("a"), "x".repeat(600));
        Files.writeString(src.resolve("b"), "y".repeat(600));
        user.handOver(src);

        assertThatThrownBy(() -> CheckpointArchive.pack(src, temp.resolve("cp.tar"), 1000, archiver, user))
                .isInstanceOf(CheckpointTooLargeException.class);
        assertThat(temp.resolve("cp.tar")).as("no half archive left").doesNotExist();
    }

    @Test
    void aCheckpointDirectorySwappedForALinkIsRefusedWithTheAccountsReason() throws Exception {
        Path job = owned("job");
        Path link = Files.createSymbolicLink(job.resolve(CheckpointDir.NAME), Path.of("/etc"));
        user.handOver(job);

        assertThatThrownBy(() -> CheckpointArchive.pack(link, temp.resolve("cp.tar"), MAX, archiver, user))
                .hasMessageContaining("as " + user.name());
        assertThat(temp.resolve("cp.tar")).doesNotExist();
    }
}
