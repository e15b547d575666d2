package org.cyphon.coordinator.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cyphon.coordinator.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals jobs' secret variables ({@code secretEnv}) for the store and opens them again for the
 * agent that runs the job: AES-256-GCM under a key of the coordinator's own, kept in
 * {@code DATA_DIR/secrets.key} (mode 0600, made at first start). A copy of the database alone,
 * or a reader of its file, learns the secrets' names but never their values.
 *
 * <p>Each value is sealed on its own, with a fresh 96-bit nonce, and bound (GCM's associated data)
 * to its job and its name: a sealed value copied onto another job or variable does not open. The
 * stored form is {@code v1.BASE64URL(nonce || ciphertext || tag)}.
 *
 * <p>Losing the key file loses the secrets of every job not yet started: such a job is held (it
 * cannot run without them) and says why; back the key up with the database, but apart from it.
 */
public final class SecretsKey {
    private static final Logger log = LoggerFactory.getLogger(SecretsKey.class);

    public static final String FILE = "secrets.key";
    private static final String VERSION = "v1.";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretsKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A value that does not open under this key: another key sealed it, or it was changed. */
    public static final class Unreadable extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The key in {@code dataDir/secrets.key}, made (0600, never readable by others) if there is none. */
    public static SecretsKey loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) create(file);
        return new SecretsKey(read(file));
    }

    private static void create(Path file) throws IOException {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.createFile(tmp);
        Files.write(
                tmp,
                (Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE); // never replaces a key that appeared meanwhile
            log.info("made {} (the key of jobs' secret variables; back it up apart from the database)", file);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
            throw new IOException(file + " is not a regular file");
        refuseIfOthersMayRead(file);
        byte[] k;
        try {
            k = Base64.getDecoder()
                    .decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a key written by Cyphon (base64 of 32 bytes): " + e.getMessage());
        }
        if (k.length != KEY_BYTES) throw new IOException(file + " holds " + k.length + " bytes; a key is " + KEY_BYTES);
        return k;
    }

    /** A key others could read protects nothing: the coordinator will not start on it. */
    private static void refuseIfOthersMayRead(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> open = EnumSet.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE);
        open.retainAll(mode);
        if (!open.isEmpty()) {
            throw new IOException(file + " is mode " + PosixFilePermissions.toString(mode)
                    + ": other users may have read the key of jobs' secret variables. "
                    + "chmod 600 it (and consider the secrets of queued jobs exposed)");
        }
    }

    /** Characters the sealed form of {@code env} takes as stored JSON, at most (names are plain identifiers). */
    public static long sealedChars(Map<String, String> env) {
        long n = 2;
        for (var e : env.entrySet()) {
            long bytes = (long) NONCE_BYTES + TAG_BITS / 8 + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            n += e.getKey().length() + 6 + VERSION.length() + (bytes + 2) / 3 * 4;
        }
        return n;
    }

    /** Every value of {@code env} sealed for job {@code jobId}, under the same names. */
    public Map<String, String> sealAll(long jobId, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((name, value) -> out.put(name, seal(jobId, name, value)));
        return out;
    }

    /** Every value of {@code sealed} opened; all or nothing. */
    public Map<String, String> openAll(long jobId, Map<String, String> sealed) throws Unreadable {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : sealed.entrySet()) out.put(e.getKey(), open(jobId, e.getKey(), e.getValue()));
        return out;
    }

    String seal(long jobId, String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo(jobId, name));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length);
            out.put(nonce).put(sealed);
            return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
    }

    String open(long jobId, String name, String sealed) throws Unreadable {
        if (sealed == null || !sealed.startsWith(VERSION))
            throw new Unreadable("secretEnv." + name + " of job " + jobId + " is not a sealed value");
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new Unreadable("secretEnv." + name + " of job " + jobId + " is not a sealed value");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8)
            throw new Unreadable("secretEnv." + name + " of job " + jobId + " is cut short");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            c.updateAAD(boundTo(jobId, name));
            return new String(c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable("secretEnv." + name + " of job " + jobId + " does not open with this coordinator's "
                    + FILE + " (another key sealed it, or it was changed)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
    }

    private static byte[] boundTo(long jobId, String name) {
        return ("cyphon secretEnv v1 job " + jobId + " " + name).getBytes(StandardCharsets.UTF_8);
    }
}
