package org.cyphon.coordinator.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold secrets (private keys): mode 0600 in a 0700 directory whatever the umask.
 * A file is created private from the first byte (never chmod-ed after the secret is in it) and
 * replaces the old one atomically, so a crash leaves the old key or the new one, never half.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

    private PrivateFiles() {}

    /** Creates {@code dir} (and its parents) and makes it 0700. */
    static void privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, OWNER_RWX);
    }

    /** Writes a secret: 0600. */
    static void writeSecret(Path file, byte[] content) throws IOException {
        write(file, content, OWNER_RW);
    }

    /** Writes something anyone may read (a certificate): 0644. */
    static void writePublic(Path file, byte[] content) throws IOException {
        write(file, content, PUBLIC_READ);
    }

    private static void write(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // Created 0600 (the umask can only take bits away); the mode is set exactly once it exists.
        try (FileChannel ch = FileChannel.open(
                tmp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_RW))) {
            Files.setPosixFilePermissions(tmp, mode);
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
