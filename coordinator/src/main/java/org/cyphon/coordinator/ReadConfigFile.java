package org.cyphon.coordinator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cyphon.coordinator.tls.TlsSettings;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * Reads {@code coordinator.toml} into a {@link CoordinatorConfig}. Every error names the file, the
 * dotted key and the problem, because the person reading it is editing that file right now.
 */
final class ReadConfigFile {
    private static final TomlMapper TOML = TomlMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ReadConfigFile() {}

    static CoordinatorConfig read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        CoordinatorToml t;
        try {
            t = TOML.readValue(file.toFile(), CoordinatorToml.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .collect(Collectors.toCollection(TreeSet::new))
                            .toString();
            throw new IllegalArgumentException(
                    file + ": " + key(e) + ": unknown key" + (known.isEmpty() ? "" : " (known here: " + known + ")"));
        } catch (DatabindException e) {
            throw new IllegalArgumentException(
                    file + ": " + key((JsonMappingException) e) + ": " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid TOML: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        if (t == null) t = new CoordinatorToml(null, null, null, null, null, null, null, null, null, null, null);
        try {
            return toConfig(t, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static CoordinatorConfig toConfig(CoordinatorToml t, Path baseDir) {
        Path dataDir = baseDir.resolve(t.dataDir() == null || t.dataDir().isBlank() ? "cyphon-data" : t.dataDir());
        CoordinatorConfig d = CoordinatorConfig.defaults(dataDir);
        var http = t.http() != null ? t.http() : new CoordinatorToml.Http(null, null, null, null);
        var store = t.store() != null ? t.store() : new CoordinatorToml.Store(null, null, null, null, null);
        var leases = t.leases() != null ? t.leases() : new CoordinatorToml.Leases(null, null);
        var jobs =
                t.jobs() != null ? t.jobs() : new CoordinatorToml.Jobs(null, null, null, null, null, null, null, null);
        var files = t.files() != null ? t.files() : new CoordinatorToml.Files(null, null);
        var profiles = t.profiles() != null ? t.profiles() : new CoordinatorToml.Profiles(null);
        var schedule = t.schedule() != null ? t.schedule() : new CoordinatorToml.Schedule(null);
        var tls = t.tls() != null ? t.tls() : new CoordinatorToml.Tls(null, null, null, null);
        return new CoordinatorConfig(
                dataDir,
                or(http.listen(), d.listen()),
                or(http.port(), d.port()),
                parse("http.max_body", http.maxBody(), Sizes::parse, d.maxBodyBytes()),
                store.url(),
                or(store.user(), ""),
                storePassword(store, baseDir),
                or(store.poolSize(), d.poolSize()),
                parse("leases.heartbeat", leases.heartbeat(), Durations::parse, d.heartbeat()),
                parse("leases.lease", leases.lease(), Durations::parse, d.lease()),
                or(jobs.maxAttempts(), d.maxAttempts()),
                parse("jobs.max_log_bytes", jobs.maxLogBytes(), Sizes::parse, d.maxLogBytes()),
                parse("jobs.long_poll_max", jobs.longPollMax(), Durations::parse, d.longPollMax()),
                parse("jobs.max_checkpoint_bytes", jobs.maxCheckpointBytes(), Sizes::parse, d.maxCheckpointBytes()),
                parse(
                        "profiles.history_retention",
                        profiles.historyRetention(),
                        Durations::parse,
                        d.historyRetention()),
                parse(
                        "schedule.fair_share_half_life",
                        schedule.fairShareHalfLife(),
                        Durations::parse,
                        d.fairShareHalfLife()),
                new TlsSettings(
                        tls.mode() == null ? TlsSettings.Mode.AUTO : TlsSettings.Mode.parse(tls.mode()),
                        tls.cert() == null ? null : baseDir.resolve(tls.cert()),
                        tls.key() == null ? null : baseDir.resolve(tls.key()),
                        tls.names()),
                t.join() != null && Boolean.TRUE.equals(t.join().approve()),
                parse("http.body_timeout", http.bodyTimeout(), Durations::parse, d.bodyTimeout()),
                parse("jobs.privacy", jobs.privacy(), JobPrivacy::parse, d.privacy()),
                new org.cyphon.coordinator.files.FileSettings(
                        parse(
                                "jobs.max_input_bytes",
                                jobs.maxInputBytes(),
                                Sizes::parse,
                                d.files().maxInputBytes()),
                        parse(
                                "jobs.max_output_bytes",
                                jobs.maxOutputBytes(),
                                Sizes::parse,
                                d.files().maxOutputBytes()),
                        parse(
                                "files.unused_grace",
                                files.unusedGrace(),
                                Durations::parse,
                                d.files().unusedGrace()),
                        parse(
                                "files.keep_outputs",
                                files.keepOutputs(),
                                v -> v.trim().equals("off") ? null : Durations.parse(v),
                                d.files().keepOutputs())),
                power(t.power()),
                parse("jobs.history_retention", jobs.historyRetention(), Durations::parse, d.jobHistoryRetention()));
    }

    /** {@code store.password} or the first line of {@code store.password_file} (relative to the file), not both. */
    private static String storePassword(CoordinatorToml.Store store, Path baseDir) {
        if (store.passwordFile() == null || store.passwordFile().isBlank()) return or(store.password(), "");
        if (store.password() != null && !store.password().isEmpty())
            throw new IllegalArgumentException("store.password_file: give it or store.password, not both");
        try {
            return StorePassword.fromFile(baseDir.resolve(store.passwordFile()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store.password_file: " + e.getMessage());
        }
    }

    private static org.cyphon.coordinator.power.PowerSettings power(CoordinatorToml.Power p) {
        var d = org.cyphon.coordinator.power.PowerSettings.DEFAULT;
        if (p == null) return d;
        return new org.cyphon.coordinator.power.PowerSettings(
                or(p.maxAwake(), d.maxAwake()),
                or(p.wakePort(), d.wakePort()),
                or(p.wakeBroadcast(), d.wakeBroadcast()),
                parse("power.wake_after", p.wakeAfter(), Durations::parse, d.wakeAfter()),
                parse("power.wake_timeout", p.wakeTimeout(), Durations::parse, d.wakeTimeout()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <T> T parse(String key, String text, Function<String, T> parser, T fallback) {
        if (text == null) return fallback;
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    /** "http.port" from Jackson's path; the references are the TOML tables and keys. */
    private static String key(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        return path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
