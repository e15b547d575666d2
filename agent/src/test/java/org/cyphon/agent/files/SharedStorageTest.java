package org.cyphon.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether declared shared storage is there, read from real mount tables: this machine's own, and
 * lines copied from a desk whose file server is mounted over NFS and one where the automounter has
 * not mounted it.
 */
class SharedStorageTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryOfTheRootFileSystemIsNotSharedStorageAndAMissingOneIsNotThere() {
        Path plain = tmp.resolve("plain");
        SharedStorage s =
                new SharedStorage(List.of(tmp.toString(), "/srv/cyphon-no-such-dir"), Path.of("/proc/self/mountinfo"));
        assertThat(s.why("/srv/cyphon-no-such-dir/x")).contains("is not there");
        assertThat(s.why("/elsewhere")).contains("is not shared storage on this desk");
        assertThat(s.available()).doesNotContain("/srv/cyphon-no-such-dir");
        assertThat(plain).doesNotExist();
        assertThat(new SharedStorage(List.of(), Path.of("/proc/self/mountinfo")).available())
                .as("a desk without shared storage says nothing")
                .isNull();
    }

    @Test
    void theMountAPathIsOnIsReadFromTheMountTable() throws Exception {
        Path info = Files.writeString(tmp.resolve("mountinfo"), """
                22 1 252:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
                40 22 0:35 / /srv/data rw,relatime shared:20 - nfs4 filer:/export/data rw,vers=4.2
                41 22 0:36 / /home rw,relatime shared:21 - autofs /etc/auto.home rw,fd=7
                42 22 0:37 / /mnt/with\\040space rw - tmpfs tmpfs rw
                """);
        SharedStorage s = new SharedStorage(List.of("/srv/data", "/home"), info);
        assertThat(s.mountOf(Path.of("/srv/data/projects/x"))).isEqualTo("nfs4");
        assertThat(s.mountOf(Path.of("/srv/database")))
                .as("not inside /srv/data")
                .isNull();
        assertThat(s.mountOf(Path.of("/home/alice"))).isEqualTo("autofs");
        assertThat(s.mountOf(Path.of("/mnt/with space/f"))).isEqualTo("tmpfs");
        assertThat(s.mountOf(Path.of("/var/lib"))).as("the root file system").isNull();
    }

    @Test
    void aRealMountAnswersAndCounts() throws Exception {
        Path m = Files.createDirectories(tmp.resolve("server"));
        run("mount", "-t", "tmpfs", "-o", "size=1m", "cyphon-shared-test", m.toString());
        try {
            SharedStorage s = new SharedStorage(List.of(m.toString()), Path.of("/proc/self/mountinfo"));
            assertThat(s.why(m + "/inside/a.dat")).isNull();
            assertThat(s.available()).containsExactly(m.toString());
        } finally {
            run("umount", m.toString());
        }
        SharedStorage after = new SharedStorage(List.of(m.toString()), Path.of("/proc/self/mountinfo"));
        assertThat(after.why(m.toString()))
                .as("unmounted: a directory of the root file system again")
                .contains("is not mounted");
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
