package org.cyphon.coordinator.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the coordinator's files and directories readable by its own user only, whatever the
 * process's umask: directories 0700, files 0600, with the mode given at creation (the umask can
 * only take bits away), never widened by a chmod afterwards, so no other local user, nor a job
 * running on this machine, ever has a moment to open one. What the data dir holds (the database,
 * jobs' commands, environments and output, checkpoints, tokens, the secrets key) is the pool's.
 *
 * <p>A directory that already exists with more open bits (made by an older version, or by hand)
 * is tightened once, with a line in the log, if it is ours.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS_READ_WRITE = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> OTHERS_ALL = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /**
     * {@code dir} and any missing parents, each made 0700; an existing {@code dir} of ours loses
     * every group and other bit.
     */
    public static Path directory(Path dir) throws IOException {
        return directory(dir, false);
    }

    /**
     * Like {@link #directory(Path)}, but an existing directory keeps its search ({@code x}) bits for
     * group and others: the data dir of {@code cyphon up} also holds the local agents' state, whose
     * jobs (another user) must pass through it to their working directories. Listing and writing
     * stay the owner's.
     */
    public static Path traversableDirectory(Path dir) throws IOException {
        return directory(dir, true);
    }

    private static Path directory(Path dir, boolean keepSearch) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
                // Search only (0711): reading and listing stay the owner's.
                if (keepSearch) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            } else Files.createDirectories(dir);
        }
        tighten(dir, keepSearch ? OTHERS_READ_WRITE : OTHERS_ALL);
        return dir;
    }

    /** Creates {@code file} 0600; fails if it exists. */
    public static void createFile(Path file) throws IOException {
        if (POSIX) Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        else Files.createFile(file);
    }

    /**
     * Opens {@code file} with {@code options}; if this creates it, it is created 0600. Use with
     * {@link StandardOpenOption#CREATE} or {@link StandardOpenOption#CREATE_NEW}.
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = Set.of(options);
        FileAttribute<?>[] attrs =
                POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        return FileChannel.open(file, set, attrs);
    }

    /** Removes {@code bits} from an existing path of ours that has any of them, saying so in the log. */
    private static void tighten(Path p, Set<PosixFilePermission> bits) throws IOException {
        if (!POSIX) return;
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(now);
        open.retainAll(bits);
        if (open.isEmpty()) return;
        Set<PosixFilePermission> tight = EnumSet.copyOf(now);
        tight.removeAll(bits);
        try {
            Files.setPosixFilePermissions(p, tight);
            log.info(
                    "{}: mode {} -> {}: it holds the pool's data, which no other user may read",
                    p,
                    PosixFilePermissions.toString(now),
                    PosixFilePermissions.toString(tight));
        } catch (IOException e) {
            log.warn(
                    "{} is {} and could not be tightened ({}): other users may read what is in it",
                    p,
                    PosixFilePermissions.toString(now),
                    e.getMessage());
        }
    }
}
