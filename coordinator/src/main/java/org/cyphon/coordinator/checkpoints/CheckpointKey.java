package org.cyphon.coordinator.checkpoints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cyphon.coordinator.files.PrivateFiles;

/**
 * The coordinator's secret for checkpoint HMACs: 32 random bytes in a file only its owner can read
 * (0600), made on first start. Agents never see it, so neither they nor a job can forge an archive.
 */
final class CheckpointKey {
    private CheckpointKey() {}

    static byte[] loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Written whole under a private name, then linked into place: a concurrent start never
            // reads a half-written key, and link fails rather than replaces if another made it first.
            Path part = file.resolveSibling(file.getFileName() + "." + Long.toHexString(new SecureRandom().nextLong()));
            try (FileChannel ch = PrivateFiles.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(key));
                ch.force(true);
            }
            try {
                Files.createLink(file, part);
            } catch (FileAlreadyExistsException raced) {
                // another start made it first: use theirs
            } finally {
                Files.deleteIfExists(part);
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < 32) throw new IOException(file + ": the checkpoint HMAC key is shorter than 32 bytes");
        return key;
    }

    /** A fresh HMAC-SHA256 already fed the job id, so an archive cannot be moved to another job. */
    static Mac mac(byte[] key, long jobId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(jobId).array());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
