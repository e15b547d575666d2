package org.cyphon.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's input cache on a real disk, fed by a fetch that plays the coordinator's side of a
 * download: appending real bytes to the part file from its current size, as the agent's client
 * does with HTTP Range, sometimes cut short.
 */
class InputCacheTest {
    @TempDir
    Path tmp;

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Serves contents, appending to the part from its size; {@code cutAt} bytes in, the first fetch stops short. */
    static final class Source implements InputCache.Fetch {
        final java.util.Map<String, byte[]> contents = new java.util.HashMap<>();
        final List<Long> startedAt = new ArrayList<>();
        long cutAt = -1;

        @Override
        public void into(String sha256, long size, Path part) throws IOException {
            byte[] b = contents.get(sha256);
            long have = Files.exists(part) ? Files.size(part) : 0;
            startedAt.add(have);
            long end = b.length;
            if (cutAt > have) {
                end = cutAt;
                cutAt = -1;
            }
            Files.write(
                    part,
                    Arrays.copyOfRange(b, (int) have, (int) end),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (end < b.length) throw new IOException("connection cut at byte " + end);
        }
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aFetchCutHalfWayContinuesFromWhereItStoppedAndTheFileLandsWholeInTheJobAndTheCache() throws Exception {
        InputCache cache = new InputCache(tmp.resolve("cache"), 1 << 20, CLOCK);
        byte[] content = bytes(200_000, 1);
        String sha = sha(content);
        Source source = new Source();
        source.contents.put(sha, content);
        source.cutAt = 70_000;
        Path work = Files.createDirectories(tmp.resolve("work"));

        assertThatThrownBy(() -> cache.copyTo(sha, content.length, work.resolve("a"), source))
                .hasMessageContaining("cut at byte 70000");
        assertThat(cache.has(sha)).as("nothing half-written under its name").isFalse();
        assertThat(work.resolve("a")).doesNotExist();

        cache.copyTo(sha, content.length, work.resolve("a"), source);
        assertThat(source.startedAt).containsExactly(0L, 70_000L);
        assertThat(Files.readAllBytes(work.resolve("a"))).isEqualTo(content);
        assertThat(cache.has(sha)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("cache"))))
                .isEqualTo("rwx------");

        cache.copyTo(sha, content.length, work.resolve("b"), source);
        assertThat(source.startedAt)
                .as("the second job's copy came from the cache")
                .hasSize(2);
        assertThat(Files.readAllBytes(work.resolve("b"))).isEqualTo(content);
    }

    @Test
    void aCorruptedCacheEntryIsDroppedAndFetchedAgainAndWrongBytesFromTheSourceAreRefused() throws Exception {
        InputCache cache = new InputCache(tmp.resolve("cache"), 1 << 20, CLOCK);
        byte[] content = bytes(50_000, 2);
        String sha = sha(content);
        Source source = new Source();
        source.contents.put(sha, content);
        Path work = Files.createDirectories(tmp.resolve("work"));
        cache.copyTo(sha, content.length, work.resolve("first"), source);

        byte[] bad = content.clone();
        bad[12_345] ^= 1;
        Files.write(tmp.resolve("cache").resolve(sha), bad); // a bad disk, or someone writing there
        cache.copyTo(sha, content.length, work.resolve("second"), source);
        assertThat(Files.readAllBytes(work.resolve("second"))).isEqualTo(content);
        assertThat(source.startedAt).as("fetched again").hasSize(2);
        assertThat(Files.readAllBytes(tmp.resolve("cache").resolve(sha))).isEqualTo(content);

        String other = sha(bytes(10, 3));
        source.contents.put(other, bad); // the source sends other bytes than asked
        assertThatThrownBy(() -> cache.copyTo(other, bad.length, work.resolve("third"), source))
                .isInstanceOf(InputCache.WrongContent.class)
                .hasMessageContaining("SHA-256 " + sha(bad));
        assertThat(cache.has(other)).isFalse();
        assertThat(work.resolve("third")).doesNotExist();
    }

    @Test
    void pastItsSizeTheLeastRecentlyUsedGoFirst() throws Exception {
        Path dir = tmp.resolve("cache");
        InputCache cache = new InputCache(dir, 250_000, CLOCK);
        Source source = new Source();
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] b = bytes(100_000, 10 + i);
            String s = sha(b);
            source.contents.put(s, b);
            shas.add(s);
            cache.copyTo(s, b.length, work.resolve("f" + i), source);
            // Used at distinct times, oldest first (the cache reads its order from the files' times).
            Files.setLastModifiedTime(
                    dir.resolve(s), FileTime.from(Instant.parse("2026-12-0" + (i + 1) + "T00:00:00Z")));
        }
        assertThat(cache.bytes()).isEqualTo(300_000);
        cache.evict();
        assertThat(cache.bytes()).isEqualTo(200_000);
        assertThat(cache.has(shas.get(0))).as("the least recently used").isFalse();
        assertThat(cache.has(shas.get(1))).isTrue();
        assertThat(cache.has(shas.get(2))).isTrue();

        InputCache reopened = new InputCache(dir, 250_000, CLOCK);
        assertThat(reopened.bytes()).as("what it holds survives a restart").isEqualTo(200_000);
    }
}
