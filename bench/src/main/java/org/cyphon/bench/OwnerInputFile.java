package org.cyphon.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The bytes the owner's {@code xz -9} compresses: pseudo-random text made from a seed, so every
 * case (and every run with the same seed and size) compresses exactly the same input. Text rather
 * than random bytes because random data is incompressible and makes the compressor skip most of its
 * work; skewed word frequencies give xz real matches to search for, like an owner's documents.
 */
final class OwnerInputFile {
    /** The file, its size and the start of its SHA-256 (printed so two runs can be seen to match). */
    record Made(Path path, long bytes, String sha256) {}

    private static final int VOCABULARY = 8192;

    private OwnerInputFile() {}

    static Made write(Path path, long bytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] words = new byte[VOCABULARY][];
        for (int i = 0; i < VOCABULARY; i++) {
            byte[] w = new byte[2 + random.nextInt(9)];
            for (int j = 0; j < w.length; j++) w[j] = (byte) ('a' + random.nextInt(26));
            words[i] = w;
        }
        MessageDigest sha = sha256();
        try (OutputStream out =
                new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16), sha)) {
            long written = 0;
            int onLine = 0;
            while (written < bytes) {
                // u^3 makes low indices far more frequent: a few common words, a long tail of rare ones.
                double u = random.nextDouble();
                byte[] w = words[(int) (VOCABULARY * u * u * u)];
                int n = (int) Math.min(w.length, bytes - written);
                out.write(w, 0, n);
                written += n;
                if (written >= bytes) break;
                int sep = ++onLine >= 8 + random.nextInt(8) ? '\n' : random.nextInt(20) == 0 ? ',' : ' ';
                if (sep == '\n') onLine = 0;
                out.write(sep);
                written++;
            }
        }
        return new Made(path, bytes, HexFormat.of().formatHex(sha.digest()).substring(0, 16));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
