package org.cyphon.agent.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The job-side half of packing and restoring a checkpoint: a small Java process the agent starts
 * as the job's own account ({@link JobAccountArchiver}), so that whatever the job planted in its
 * checkpoint directory (a link to {@code /etc/shadow}, a hard link to another account's file) is
 * read, and whatever an archive says is written, with the job's rights and no more.
 *
 * <ul>
 *   <li>{@code pack DIR}: walks DIR ({@link DirWalk}) and writes the entries to standard output
 *       ({@link EntryWire}); the agent makes the tar archive of them, counting against the size cap.</li>
 *   <li>{@code unpack DIR}: reads entries from standard input, already checked by the agent, and
 *       writes them into the empty DIR ({@link DirFill}).</li>
 * </ul>
 * Exit status 0 when done; {@value #FAILED} with the reason on standard error; {@value #UNSAFE}
 * when an entry would leave DIR. Its class path holds only {@link #CLASSES}: JDK only.
 */
public final class ArchiveAsJob {
    static final int FAILED = 1;
    static final int UNSAFE = 3;

    /** Every class the process loads: the agent copies these (and their nested classes) for it. */
    static final List<Class<?>> CLASSES = List.of(
            ArchiveAsJob.class,
            ArchiveEntries.class,
            DirWalk.class,
            DirFill.class,
            EntryNames.class,
            EntryWire.class,
            UnsafeArchiveException.class);

    private ArchiveAsJob() {}

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("pack") || args[0].equals("unpack"))) {
            System.err.println("usage: ArchiveAsJob pack|unpack DIR");
            System.exit(FAILED);
        }
        Path dir = Path.of(args[1]);
        try {
            if (args[0].equals("pack")) {
                DataOutputStream out = new DataOutputStream(
                        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
                EntryWire.Writer w = new EntryWire.Writer(out);
                DirWalk.walk(dir, w);
                w.end();
            } else {
                DataInputStream in =
                        new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 64 * 1024));
                EntryWire.read(in, new DirFill(dir));
            }
        } catch (UnsafeArchiveException e) {
            System.err.println(e.getMessage());
            System.exit(UNSAFE);
        } catch (IOException | RuntimeException e) {
            System.err.println(e.getMessage() != null ? e.getMessage() : e.toString());
            System.exit(FAILED);
        }
        System.exit(0);
    }
}
