package org.cyphon.agent.checkpoint;

import java.time.Duration;
import java.util.function.Function;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * The agent's {@code [checkpoint]} table.
 *
 * @param signal         sent to the job's main process before a vacate: "write a checkpoint into
 *                       {@code CYPHON_CHECKPOINT_DIR} and exit" (default TERM, like a shutdown)
 * @param periodicSignal sent every {@code checkpointEvery} of a job that asked for periodic
 *                       checkpoints: "write a checkpoint and carry on" (default USR1). Different from
 *                       {@code signal} so a job can tell "save" from "save and leave"
 * @param grace          how long a job may take to answer either signal (default 30s); after a
 *                       vacate's grace the job is killed
 * @param settle         the checkpoint directory counts as written once it has changed and then not
 *                       changed for this long (default 2s)
 * @param criu           whether to detect CRIU ({@code auto}) or not ({@code off})
 * @param maxBytes       largest checkpoint the agent packs or unpacks (default 1G; the coordinator
 *                       has its own cap, {@code jobs.max_checkpoint_bytes})
 */
public record CheckpointSettings(
        String signal, String periodicSignal, Duration grace, Duration settle, CriuMode criu, long maxBytes) {
    static final Duration MAX_GRACE = Duration.ofHours(1); // before DEFAULTS: its constructor checks against it
    public static final CheckpointSettings DEFAULTS = new CheckpointSettings(
            "TERM", "USR1", Duration.ofSeconds(30), Duration.ofSeconds(2), CriuMode.AUTO, 1L << 30);

    /** @throws IllegalArgumentException in AgentConfigLoader's form: {@code key 'checkpoint.grace': ...} */
    public CheckpointSettings {
        signal = check("signal", signal, CheckpointSignal::normalise);
        periodicSignal = check("periodic_signal", periodicSignal, CheckpointSignal::normalise);
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0)
            throw bad("grace", "must be between 0s and 1h");
        if (settle == null || settle.toMillis() < 100 || settle.compareTo(MAX_GRACE) > 0)
            throw bad("settle", "must be between 100ms and 1h");
        if (criu == null) throw bad("criu", "must be auto or off");
        if (maxBytes < 1) throw bad("max_size", "must be at least 1 byte");
    }

    /**
     * From the TOML strings; null keys take their defaults.
     *
     * @throws IllegalArgumentException {@code key 'checkpoint.KEY': problem}
     */
    public static CheckpointSettings parse(
            String signal, String periodicSignal, String grace, String settle, String criu, String maxSize) {
        CheckpointSettings d = DEFAULTS;
        return new CheckpointSettings(
                signal != null ? signal : d.signal(),
                periodicSignal != null ? periodicSignal : d.periodicSignal(),
                grace != null ? check("grace", grace, Durations::parse) : d.grace(),
                settle != null ? check("settle", settle, Durations::parse) : d.settle(),
                criu != null ? check("criu", criu, CriuMode::parse) : d.criu(),
                maxSize != null ? check("max_size", maxSize, Sizes::parse) : d.maxBytes());
    }

    private static <T> T check(String key, String text, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String key, String problem) {
        return new IllegalArgumentException("key 'checkpoint." + key + "': " + problem);
    }
}
