package org.cyphon.coordinator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where the store's password comes from when it is not in {@code coordinator.toml} itself: a file
 * that only its owner (and at most the owner's group) may read, or the environment. Never the
 * command line, which every local user can read with {@code ps}.
 */
public final class StorePassword {
    /** The environment variable {@code cyphon up} and {@code cyphon coordinator} take the password from. */
    public static final String ENV = "CYPHON_STORE_PASSWORD";

    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private StorePassword() {}

    /**
     * The file's first line. Refused (like ssh refuses a key others can read) when others may read
     * or anyone but the owner may write it: a password any local user can read is no password.
     *
     * @throws IllegalArgumentException naming the file and the problem, never its content
     */
    public static String fromFile(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            open.addAll(mode);
            open.retainAll(TOO_OPEN);
            if (!open.isEmpty()) {
                throw new IllegalArgumentException(file + " may be read or written by others (mode "
                        + PosixFilePermissions.toString(mode) + "): chmod 600 " + file);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int eol = text.indexOf('\n');
            String line = (eol >= 0 ? text.substring(0, eol) : text).replace("\r", "");
            if (line.isEmpty())
                throw new IllegalArgumentException(file + ": is empty (the password is its first line)");
            return line;
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": cannot check who may read it on this file system");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }
}
