package org.cyphon.agent.files;

import java.nio.file.Path;
import java.util.List;
import org.cyphon.core.machine.SharedPaths;

/**
 * {@code [storage]} in agent.toml: what this desk mounts from the office server, and its cache of
 * jobs' input files.
 *
 * @param shared    absolute paths every desk mounts from the office's file server ({@code "/home"},
 *                  {@code "/srv/data"}): jobs may use them directly (they stay visible inside the
 *                  job's walls), and a job that needs one is taken only while it is mounted here
 * @param cacheDir  where fetched input files are kept for the next job that needs them; null:
 *                  {@code state_dir/files/cache}
 * @param cacheSize the most the cache holds; least recently used files go first beyond it
 */
public record StorageSettings(List<String> shared, Path cacheDir, long cacheSize) {
    public static final long DEFAULT_CACHE_SIZE = 10L << 30;

    public StorageSettings {
        shared = shared == null ? List.of() : List.copyOf(shared);
        if (shared.size() > SharedPaths.MAX_PATHS)
            throw new IllegalArgumentException(
                    "key 'storage.shared': " + shared.size() + " paths; at most " + SharedPaths.MAX_PATHS);
        for (String p : shared) {
            String problem = SharedPaths.problem(p);
            if (problem != null) throw new IllegalArgumentException("key 'storage.shared': " + problem);
        }
        if (cacheSize < 0) throw new IllegalArgumentException("key 'storage.cache_size': must be 0 or more");
    }

    /** No shared storage; the default cache. */
    public static StorageSettings defaults() {
        return new StorageSettings(List.of(), null, DEFAULT_CACHE_SIZE);
    }

    /** The cache directory in force for an agent with this state dir. */
    public Path cacheDirIn(Path stateDir) {
        return cacheDir != null ? cacheDir : stateDir.resolve("files").resolve("cache");
    }
}
