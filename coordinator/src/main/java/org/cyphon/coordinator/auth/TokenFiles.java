package org.cyphon.coordinator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The admin and enrollment tokens live in the data dir ({@code admin.token}, {@code enroll.token}),
 * readable by the coordinator's user only (0600): whoever can read them can run the cluster.
 * Made at first start, reused after.
 */
public final class TokenFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private TokenFiles() {}

    /** The token in {@code file}, creating the file with a fresh token (mode 0600) if it does not exist. */
    public static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) return read(file);
        String token = Tokens.newToken();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // Create with the final mode from the start so the secret is never readable by others, not even briefly.
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(
                tmp,
                token + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
        try {
            Files.move(tmp, file); // no REPLACE_EXISTING: a concurrent first start must not swap the token under us
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            return read(file);
        }
        return token;
    }

    private static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) throw new IOException(file + " is empty; delete it to have a new token made");
        return token;
    }
}
