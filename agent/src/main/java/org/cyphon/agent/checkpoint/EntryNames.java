package org.cyphon.agent.checkpoint;

import java.nio.file.Path;

/**
 * The one rule for names in a checkpoint, wherever they come from (an archive, the job-side
 * process): relative, inside the checkpoint directory, no {@code ..}. JDK only (see {@link ArchiveEntries}).
 */
final class EntryNames {
    private EntryNames() {}

    /**
     * The name without {@code .} segments, repeated or trailing slashes; {@code ""} for the
     * directory itself.
     *
     * @throws UnsafeArchiveException when it is absolute, climbs out with {@code ..}, or holds a NUL
     */
    static String clean(String name) throws UnsafeArchiveException {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0)
            throw new UnsafeArchiveException("an entry has an empty or invalid name");
        if (name.startsWith("/")) throw new UnsafeArchiveException("entry '" + name + "' is an absolute path");
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.equals(".."))
                throw new UnsafeArchiveException(
                        "entry '" + name + "' climbs out of the checkpoint directory with '..'");
            if (part.isEmpty() || part.equals(".")) continue;
            if (out.length() > 0) out.append('/');
            out.append(part);
        }
        return out.toString();
    }

    /** The entry's path under {@code root}, or an {@link UnsafeArchiveException} when it would be elsewhere. */
    static Path inside(Path root, String name) throws UnsafeArchiveException {
        String clean = clean(name);
        Path target = clean.isEmpty() ? root : root.resolve(clean).normalize();
        if (!target.startsWith(root))
            throw new UnsafeArchiveException("entry '" + name + "' is outside the checkpoint directory");
        return target;
    }
}
