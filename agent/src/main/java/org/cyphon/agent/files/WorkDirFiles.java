package org.cyphon.agent.files;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cyphon.core.job.OutputPattern;
import org.cyphon.core.job.WorkDirNames;

/**
 * Reads files of a job's working directory for the agent, which is root, while the directory is
 * the job's: every step goes through a directory already open ({@code openat}) and never follows a
 * symbolic link, so a job that swaps a file or a directory for a link to {@code /etc/shadow} makes
 * the agent read nothing outside its working directory. Only regular files are read (a FIFO would
 * hang the reader). Cyphon's own entries ({@code .cyphon-checkpoint}, inputs being copied) are not
 * outputs.
 */
public final class WorkDirFiles {
    /** Files one walk looks at; a job that made more than this has its outputs cut there (and is told). */
    public static final int MAX_FILES = 100_000;

    private static final int MAX_DEPTH = 64;

    private WorkDirFiles() {}

    /** A regular file of the working directory: its name there ({@code a/b.csv}) and its size. */
    public record Found(String name, long size) {}

    /**
     * Every regular file of {@code workDir} that one of {@code patterns} keeps, in name order.
     *
     * @throws IOException the directory cannot be walked safely here, or not at all
     */
    public static List<Found> matching(Path workDir, List<OutputPattern> patterns) throws IOException {
        List<Found> out = new ArrayList<>();
        try (SecureDirectoryStream<Path> top = open(workDir)) {
            walk(top, "", patterns, out, 0);
        }
        out.sort(java.util.Comparator.comparing(Found::name));
        return out;
    }

    private static void walk(
            SecureDirectoryStream<Path> dir, String prefix, List<OutputPattern> patterns, List<Found> out, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) return;
        List<Path> entries = new ArrayList<>();
        for (Path p : dir) entries.add(p.getFileName());
        for (Path entry : entries) {
            if (out.size() >= MAX_FILES) return;
            String name = entry.toString();
            if (prefix.isEmpty() && name.startsWith(WorkDirNames.RESERVED_PREFIX)) continue;
            String rel = prefix + name;
            BasicFileAttributes a;
            try {
                a = dir.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (IOException gone) {
                continue; // deleted while we looked
            }
            if (a.isDirectory()) {
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(entry, LinkOption.NOFOLLOW_LINKS)) {
                    walk(sub, rel + "/", patterns, out, depth + 1);
                } catch (IOException swapped) {
                    // replaced meanwhile (by a link, say): not followed
                }
            } else if (a.isRegularFile() && WorkDirNames.problem(rel) == null) {
                for (OutputPattern p : patterns) {
                    if (p.matches(rel)) {
                        out.add(new Found(rel, a.size()));
                        break;
                    }
                }
            }
        }
    }

    /**
     * Opens the regular file {@code name} (relative, {@code /}-separated) of {@code workDir} for
     * reading, through open directories and without following links.
     *
     * @throws IOException it is not (any longer) a regular file there
     */
    public static SeekableByteChannel open(Path workDir, String name) throws IOException {
        String problem = WorkDirNames.problem(name);
        if (problem != null) throw new IOException(name + ": " + problem);
        String[] segments = name.split("/");
        SecureDirectoryStream<Path> dir = open(workDir);
        try {
            for (int i = 0; i < segments.length - 1; i++) {
                SecureDirectoryStream<Path> sub =
                        dir.newDirectoryStream(Path.of(segments[i]), LinkOption.NOFOLLOW_LINKS);
                dir.close();
                dir = sub;
            }
            Path last = Path.of(segments[segments.length - 1]);
            BasicFileAttributes a = dir.getFileAttributeView(
                            last, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            if (!a.isRegularFile()) throw new IOException(name + " is not a regular file");
            return dir.newByteChannel(last, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } finally {
            dir.close();
        }
    }

    @SuppressWarnings("StreamResourceLeak") // returned open, closed by the caller
    private static SecureDirectoryStream<Path> open(Path workDir) throws IOException {
        DirectoryStream<Path> d = Files.newDirectoryStream(workDir);
        if (d instanceof SecureDirectoryStream<Path> s) return s;
        d.close();
        throw new IOException("this platform cannot read a job's files without following its links (no openat)");
    }
}
