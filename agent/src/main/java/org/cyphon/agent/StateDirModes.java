package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The modes of the agent's state dir, set at every start whatever the umask (and whatever an older
 * version left): the dir and {@code work/} 0711, so a job can reach its own working directory but
 * list no one else's; {@code output/} and {@code checkpoints/} (the agent's scratch for checkpoint
 * archives) 0700; the credentials file is written 0600 by {@link AgentCredentials}.
 */
final class StateDirModes {
    private StateDirModes() {}

    static void apply(Path stateDir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return;
        set(stateDir, "rwx--x--x");
        set(stateDir.resolve("work"), "rwx--x--x");
        set(stateDir.resolve("output"), "rwx------");
        Path scratch = stateDir.resolve("checkpoints");
        if (Files.isDirectory(scratch)) set(scratch, "rwx------");
        Path credentials = stateDir.resolve(AgentCredentials.FILE);
        if (Files.isRegularFile(credentials)) set(credentials, "rw-------");
    }

    private static void set(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
