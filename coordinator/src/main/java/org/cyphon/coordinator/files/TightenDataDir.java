package org.cyphon.coordinator.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, takes every group and other bit off what already lies in the data dir: installs made
 * before Cyphon created its files private (the database, jobs' output and checkpoints at 0644 in
 * 0755 directories) become private at their next start, with one line in the log saying so.
 * {@code agents/} is left alone: {@code cyphon up}'s local agents keep their state there, and
 * their jobs (another user) must reach their working directories.
 */
public final class TightenDataDir {
    private static final Logger log = LoggerFactory.getLogger(TightenDataDir.class);

    /** What {@code cyphon up} keeps in the data dir for its local agents. */
    public static final String AGENTS = "agents";

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private TightenDataDir() {}

    /** @return how many files and directories were tightened */
    public static int run(Path dataDir) throws IOException {
        return run(dataDir, true);
    }

    /**
     * The database's own files, just after it opened: H2 creates them with the process's umask
     * (it takes no mode). They were never readable by others, being born in a 0700 directory;
     * this makes them 0600 too, without a line in the log.
     */
    public static void databaseFiles(Path dbDir) throws IOException {
        if (Files.isDirectory(dbDir)) run(dbDir, false);
    }

    private static int run(Path dataDir, boolean announce) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return 0;
        int[] changed = {0};
        int[] failed = {0};
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(dataDir.resolve(AGENTS))) return FileVisitResult.SKIP_SUBTREE;
                if (!dir.equals(dataDir)) tighten(dir); // the data dir itself: PrivateFiles.traversableDirectory
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() || attrs.isDirectory()) tighten(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                failed[0]++;
                return FileVisitResult.CONTINUE;
            }

            private void tighten(Path p) {
                try {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    Set<PosixFilePermission> tight = EnumSet.noneOf(PosixFilePermission.class);
                    tight.addAll(mode);
                    if (!tight.removeAll(OTHERS)) return;
                    Files.setPosixFilePermissions(p, tight);
                    changed[0]++;
                } catch (IOException | UnsupportedOperationException e) {
                    failed[0]++;
                }
            }
        });
        if (changed[0] > 0 && announce)
            log.info(
                    "made {} existing file(s) and directories under {} readable by this user only (0600/0700):"
                            + " they hold the pool's database, jobs' output and checkpoints",
                    changed[0],
                    dataDir);
        if (failed[0] > 0)
            log.warn(
                    "{} path(s) under {} could not be made private (not ours?): other users may read them",
                    failed[0],
                    dataDir);
        return changed[0];
    }
}
