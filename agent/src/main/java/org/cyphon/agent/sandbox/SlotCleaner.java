package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes everything a slot account left on the desk before another submitter gets it: its
 * processes (SIGKILL, by uid, read from {@code /proc}), its System V shared memory, message queues
 * and semaphores, its POSIX message queues, and its files in the shared temporary directories
 * ({@code /tmp}, {@code /var/tmp}, {@code /dev/shm}). Inside its walls a job has its own of each
 * (tmpfs in its mount namespace, gone with it), so those are walked only on a desk without walls:
 * walking a busy desk's /tmp (tens of thousands of files) costs the owner CPU at every new slot.
 */
final class SlotCleaner {
    private static final Logger log = LoggerFactory.getLogger(SlotCleaner.class);
    static final List<Path> SHARED_DIRS = List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"));

    private SlotCleaner() {}

    /** Cleans; returns empty when nothing of the account is left, else what is. */
    static String clean(JobUser user, Path ipcrm, boolean privateTemp) throws IOException {
        int killed = 0;
        for (int round = 0; round < 50; round++) {
            List<Long> pids = processesOf(user.uid());
            if (pids.isEmpty()) break;
            for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            killed += pids.size();
            try {
                TimeUnit.MILLISECONDS.sleep(20); // SIGKILL is delivered asynchronously; look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted cleaning " + user.name(), e);
            }
        }
        int ipc = removeIpc(user.uid(), ipcrm);
        int files = 0;
        if (!privateTemp) for (Path dir : SHARED_DIRS) files += removeFilesOf(dir, user.uid());
        // Always: the host's mqueue filesystem stays mounted at /dev/mqueue inside the walls, so a
        // job can create a queue there by path even from its own IPC namespace. It holds few files.
        files += removeFilesOf(Path.of("/dev/mqueue"), user.uid());
        if (killed + ipc + files > 0) {
            log.info(
                    "cleaned job account {}: {} processes killed, {} IPC objects and {} files removed",
                    user.name(),
                    killed,
                    ipc,
                    files);
        }
        List<String> left = new ArrayList<>();
        List<Long> pids = processesOf(user.uid());
        if (!pids.isEmpty()) left.add("processes " + pids + " survive SIGKILL");
        int ipcLeft = ipcObjectsOf(user.uid()).size();
        if (ipcLeft > 0) left.add(ipcLeft + " IPC objects cannot be removed");
        return String.join(", ", left);
    }

    /** Pids whose real, effective or saved uid is {@code uid}. */
    static List<Long> processesOf(int uid) throws IOException {
        List<Long> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (!line.startsWith("Uid:")) continue;
                        String[] f = line.split("\\s+");
                        for (int i = 1; i <= 3; i++) {
                            if (Integer.parseInt(f[i]) == uid) {
                                out.add(Long.parseLong(name));
                                break;
                            }
                        }
                        break;
                    }
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        }
        return out;
    }

    /** "-m ID", "-q ID", "-s ID" for every System V IPC object owned by {@code uid}. */
    static List<String[]> ipcObjectsOf(int uid) {
        List<String[]> out = new ArrayList<>();
        // /proc/sysvipc columns: shm and msg have the owner's uid 8th, sem 5th; the id is 2nd.
        collect(out, Path.of("/proc/sysvipc/shm"), "-m", 7, uid);
        collect(out, Path.of("/proc/sysvipc/msg"), "-q", 7, uid);
        collect(out, Path.of("/proc/sysvipc/sem"), "-s", 4, uid);
        return out;
    }

    private static void collect(List<String[]> out, Path table, String flag, int uidColumn, int uid) {
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > uidColumn && f[uidColumn].equals(Integer.toString(uid))) {
                    out.add(new String[] {flag, f[1]});
                }
            }
        } catch (IOException e) {
            // no System V IPC in this kernel
        }
    }

    private static int removeIpc(int uid, Path ipcrm) throws IOException {
        int n = 0;
        for (String[] obj : ipcObjectsOf(uid)) {
            if (ipcrm == null) break;
            try {
                Process p = new ProcessBuilder(ipcrm.toString(), obj[0], obj[1])
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) n++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted removing IPC objects", e);
            }
        }
        return n;
    }

    /** Deletes files and then empty directories under {@code dir} owned by {@code uid}; never follows links. */
    private static int removeFilesOf(Path dir, int uid) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return 0;
        int[] n = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (ownedBy(file, uid) && deleteQuietly(file)) n[0]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    if (!d.equals(dir) && ownedBy(d, uid) && deleteQuietly(d)) n[0]++;
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("cannot look for files of uid {} under {}: {}", uid, dir, e.getMessage());
        }
        return n[0];
    }

    private static boolean ownedBy(Path p, int uid) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean deleteQuietly(Path p) {
        try {
            Files.delete(p);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false; // a non-empty directory holding someone else's files stays
        }
    }
}
