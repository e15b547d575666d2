package org.cyphon.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cyphon.agent.checkpoint.CheckpointSettings;
import org.cyphon.agent.sandbox.SandboxSettings;
import org.cyphon.agent.sensors.SensorSettings;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * Reads {@code agent.toml} into an {@link AgentConfig}, filling in defaults from the machine
 * (host name, CPU count, RAM). Every error names the file and the key; unknown keys are refused
 * so that a typo never silently leaves a default in force.
 */
public final class AgentConfigLoader {
    private static final TomlMapper TOML = TomlMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AgentConfigLoader() {}

    public static AgentConfig load(Path file) {
        AgentFile raw;
        try {
            raw = TOML.readValue(Files.readString(file), AgentFile.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .sorted()
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(file + ": unknown key '" + keyPath(e) + "' (known here: " + known + ")");
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + ": key '" + keyPath(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid TOML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (raw != null && raw.enroll_token() != null) refuseIfOthersMayRead(file);
        return fromFile(raw == null ? empty() : raw, file.toString());
    }

    /**
     * A config that holds a secret inline (the enrollment token) must be its owner's alone: anyone
     * who could read it could enroll a fake desk and be handed other people's jobs.
     */
    static void refuseIfOthersMayRead(Path file) {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode;
        try {
            if (!Files.getFileStore(file).supportsFileAttributeView("posix")) return;
            mode = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the mode of " + file + ": " + e.getMessage());
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> open = java.util.EnumSet.of(
                java.nio.file.attribute.PosixFilePermission.GROUP_READ,
                java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        open.retainAll(mode);
        if (!open.isEmpty())
            throw new IllegalArgumentException(file + " holds enroll_token inline but is mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                    + ": other users can read the token. Run: chmod 600 " + file
                    + " (or move the token to a file of its own named by enroll_token_file)");
    }

    /** Defaults only: what {@code cyphon up} starts from when no file is given. */
    public static AgentConfig defaults() {
        return fromFile(empty(), "defaults");
    }

    private static AgentFile empty() {
        return new AgentFile(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    static AgentConfig fromFile(AgentFile f, String source) {
        String name = f.name() != null ? f.name() : hostName();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException(source + ": key 'name': '" + name
                    + "' is not a valid machine name (letters, digits, '.', '_', '-'; at most 63)");
        }
        List<URI> coordinators = coordinators(f.coordinator(), source);
        URI coordinator = coordinators.get(0);
        org.cyphon.agent.client.CoordinatorTrust trust = null;
        for (URI u : coordinators) trust = trust(f, u, source);
        String enroll = f.enroll_token();
        if (enroll == null && f.enroll_token_file() != null) {
            try {
                enroll = Files.readString(Path.of(f.enroll_token_file())).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(source + ": key 'enroll_token_file': cannot read "
                        + f.enroll_token_file() + ": " + e.getMessage());
            }
        }
        Path stateDir = f.state_dir() != null ? Path.of(f.state_dir()) : defaultStateDir(name);

        int cpuMillis = Runtime.getRuntime().availableProcessors() * 1000;
        if (f.cpus() != null) {
            if (!(f.cpus() > 0) || f.cpus() > 4096)
                throw new IllegalArgumentException(
                        source + ": key 'cpus': must be between 0 and 4096, got " + f.cpus());
            cpuMillis = (int) Math.round(f.cpus() * 1000);
        }
        long memory = MachineFacts.totalMemoryBytes();
        if (f.memory() != null) memory = parse(source, "memory", () -> Sizes.parse(f.memory()));

        AgentFile.Sandbox sb = f.sandbox() != null
                ? f.sandbox()
                : new AgentFile.Sandbox(null, null, null, null, null, null, null, null, null);
        String mode = sb.mode() != null ? sb.mode() : "auto";
        if (!mode.matches("auto|cgroup-v2|cgroup-v1|nice-only")) {
            throw new IllegalArgumentException(source + ": key 'sandbox.mode': '" + mode
                    + "' is not one of auto, cgroup-v2, cgroup-v1, nice-only");
        }
        String parent = sb.cgroup_parent() != null ? sb.cgroup_parent() : "cyphon";
        if (!parent.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")) {
            throw new IllegalArgumentException(
                    source + ": key 'sandbox.cgroup_parent': '" + parent + "' is not a relative cgroup path");
        }
        if (sb.max_jobs() != null && (sb.max_jobs() < 1 || sb.max_jobs() > 10_000)) {
            throw new IllegalArgumentException(
                    source + ": key 'sandbox.max_jobs': must be between 1 and 10000, got " + sb.max_jobs());
        }
        if (sb.pids_max() != null && (sb.pids_max() < 16 || sb.pids_max() > 4_194_304)) {
            throw new IllegalArgumentException(
                    source + ": key 'sandbox.pids_max': must be between 16 and 4194304, got " + sb.pids_max());
        }
        int defaultMaxJobs = 4 * ((cpuMillis + 999) / 1000);
        SandboxSettings sandbox = parse(
                source,
                () -> new SandboxSettings(
                        Path.of(sb.cgroup_root() != null ? sb.cgroup_root() : "/sys/fs/cgroup"),
                        parent,
                        mode,
                        sb.pids_max() != null ? sb.pids_max() : SandboxSettings.DEFAULT_PIDS_MAX,
                        sb.share_homes() == null
                                ? List.of()
                                : sb.share_homes().stream().map(Path::of).toList(),
                        sb.run_as(),
                        sb.slot_prefix(),
                        // 4 per CPU the desk offers (rounded up), so tiny jobs cannot crowd a desk by the hundred
                        sb.max_jobs() != null ? sb.max_jobs() : defaultMaxJobs));
        // Jobs must never run as root: as root they could leave their cgroup or undo their idle
        // priority. A root agent gives each job an account of its own (sandbox.run_as, see
        // JobAccounts) unless job_user names one fixed account; an unprivileged agent cannot switch
        // users, so its jobs run as itself.
        boolean root = "root".equals(System.getProperty("user.name"));
        String jobUser = sb.job_user() != null && !sb.job_user().isEmpty() ? sb.job_user() : null;
        if (jobUser != null && !root) {
            throw new IllegalArgumentException(
                    source + ": key 'sandbox.job_user': switching to '" + jobUser + "' needs the agent to run as root");
        }
        if (jobUser == null && root && sb.job_user() != null) {
            throw new IllegalArgumentException(
                    source
                            + ": key 'sandbox.job_user': empty means 'run jobs as the agent's user', which would be root; name an unprivileged user");
        }

        Duration uploadEvery = Duration.ofSeconds(2);
        if (f.output() != null && f.output().upload_every() != null) {
            uploadEvery = parse(
                    source,
                    "output.upload_every",
                    () -> Durations.parse(f.output().upload_every()));
            if (uploadEvery.toMillis() < 100)
                throw new IllegalArgumentException(source + ": key 'output.upload_every': at least 100ms");
        }
        SensorSettings sensors = sensors(f.sensors(), source);
        Map<String, String> policy = new LinkedHashMap<>();
        if (f.policy() != null) {
            for (var e : f.policy().entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List) {
                    throw new IllegalArgumentException(
                            source + ": key 'policy." + e.getKey() + "': must be a single value");
                }
                policy.put(e.getKey(), String.valueOf(v));
            }
        }
        var c = f.checkpoint() != null ? f.checkpoint() : new AgentFile.Checkpoint(null, null, null, null, null, null);
        CheckpointSettings checkpoint;
        try {
            checkpoint = CheckpointSettings.parse(
                    c.signal(), c.periodic_signal(), c.grace(), c.settle(), c.criu(), c.max_size());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        org.cyphon.agent.desk.DeskConfig desk = f.desk() == null
                ? null
                : parse(source, () -> org.cyphon.agent.desk.DeskConfig.parse(f.desk(), name, stateDir));
        Map<String, String> labels = new java.util.TreeMap<>();
        if (f.labels() != null) {
            for (var e : f.labels().entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List) {
                    throw new IllegalArgumentException(
                            source + ": key 'labels." + e.getKey() + "': must be a single value");
                }
                String problem = org.cyphon.core.machine.Labels.problem(e.getKey(), String.valueOf(v));
                if (problem != null) throw new IllegalArgumentException(source + ": [labels]: " + problem);
                labels.put(e.getKey(), String.valueOf(v));
            }
        }
        String owner =
                f.owner() == null || f.owner().isBlank() ? null : f.owner().strip();
        if (owner != null && !owner.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            throw new IllegalArgumentException(source + ": key 'owner': '" + owner
                    + "' is not a user name (letters, digits, . _ @ -; at most 64)");
        }
        var st = f.storage();
        org.cyphon.agent.files.StorageSettings storage = st == null
                ? org.cyphon.agent.files.StorageSettings.defaults()
                : parse(
                        source,
                        () -> new org.cyphon.agent.files.StorageSettings(
                                st.shared(),
                                st.cache_dir() == null ? null : Path.of(st.cache_dir()),
                                st.cache_size() == null
                                        ? org.cyphon.agent.files.StorageSettings.DEFAULT_CACHE_SIZE
                                        : parse(source, "storage.cache_size", () -> Sizes.parse(st.cache_size()))));
        if (storage.cacheDir() != null && !storage.cacheDir().isAbsolute())
            throw new IllegalArgumentException(
                    source + ": key 'storage.cache_dir': '" + storage.cacheDir() + "' is not an absolute path");
        org.cyphon.agent.power.PowerConfig power = f.power() == null
                ? org.cyphon.agent.power.PowerConfig.OFF
                : parse(
                        source,
                        () -> org.cyphon.agent.power.PowerConfig.parse(
                                f.power().suspend_when_idle(),
                                f.power().sleep(),
                                f.power().wake_broadcast()));
        return new AgentConfig(
                name,
                coordinator,
                enroll,
                stateDir,
                cpuMillis,
                memory,
                sandbox,
                jobUser,
                uploadEvery,
                sensors,
                Map.copyOf(policy),
                checkpoint,
                desk,
                labels,
                owner,
                trust,
                storage,
                power,
                gpu(f.gpu(), source),
                coordinators.subList(1, coordinators.size()));
    }

    private static org.cyphon.agent.gpu.GpuSettings gpu(AgentFile.Gpu g, String source) {
        var d = org.cyphon.agent.gpu.GpuSettings.defaults();
        if (g == null) return d;
        Path smi = g.nvidia_smi() == null || g.nvidia_smi().isBlank() ? null : Path.of(g.nvidia_smi());
        if (smi != null && !smi.isAbsolute())
            throw new IllegalArgumentException(
                    source + ": key 'gpu.nvidia_smi': '" + smi + "' is not an absolute path");
        if (smi != null && !(Files.isRegularFile(smi) && Files.isExecutable(smi)))
            throw new IllegalArgumentException(
                    source + ": key 'gpu.nvidia_smi': " + smi + " is not an executable file");
        Path dev = g.dev_dir() == null || g.dev_dir().isBlank() ? d.devDir() : Path.of(g.dev_dir());
        if (!dev.isAbsolute())
            throw new IllegalArgumentException(source + ": key 'gpu.dev_dir': '" + dev + "' is not an absolute path");
        if (!Files.isDirectory(dev))
            throw new IllegalArgumentException(source + ": key 'gpu.dev_dir': " + dev + " is not a directory");
        return new org.cyphon.agent.gpu.GpuSettings(smi, dev);
    }

    /**
     * {@code coordinator}: one URL, several separated by commas, or a TOML array of them (several
     * coordinators of one pool, tried in this order); http://127.0.0.1:7070 when absent.
     */
    static List<URI> coordinators(Object value, String source) {
        List<String> written = new ArrayList<>();
        if (value == null) written.add("http://127.0.0.1:7070");
        else if (value instanceof String one) written.add(one);
        else if (value instanceof List<?> many) {
            for (Object o : many) {
                if (!(o instanceof String one))
                    throw new IllegalArgumentException(source + ": key 'coordinator': '" + o + "' is not a URL string");
                written.add(one);
            }
        } else {
            throw new IllegalArgumentException(
                    source + ": key 'coordinator': expected a URL or an array of URLs, got '" + value + "'");
        }
        List<URI> out = new ArrayList<>();
        for (String w : written) {
            for (String part : w.split(",", -1)) {
                String url = part.trim();
                try {
                    URI u = URI.create(url);
                    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()))
                        throw new IllegalArgumentException("not http(s)");
                    if (!out.contains(u)) out.add(u);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            source + ": key 'coordinator': '" + url + "' is not an http(s) URL");
                }
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(source + ": key 'coordinator': no URL given");
        return out;
    }

    /** {@code ca_fingerprint} and {@code insecure_http}, checked against the coordinator's URL now, not at the first call. */
    private static org.cyphon.agent.client.CoordinatorTrust trust(AgentFile f, URI coordinator, String source) {
        org.cyphon.core.protocol.CaFingerprint pin = null;
        if (f.ca_fingerprint() != null && !f.ca_fingerprint().isBlank()) {
            pin = parse(
                    source, "ca_fingerprint", () -> org.cyphon.core.protocol.CaFingerprint.parse(f.ca_fingerprint()));
        }
        var trust = new org.cyphon.agent.client.CoordinatorTrust(pin, Boolean.TRUE.equals(f.insecure_http()));
        if (pin != null && "http".equals(coordinator.getScheme())) {
            throw new IllegalArgumentException(source + ": key 'ca_fingerprint': pins a CA, but key 'coordinator' ("
                    + coordinator + ") is plain http; use https://");
        }
        try {
            org.cyphon.agent.client.CoordinatorTransport.of(coordinator, trust, "insecure_http = true in " + source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": key 'coordinator': " + e.getMessage());
        }
        return trust;
    }

    private static SensorSettings sensors(AgentFile.Sensors s, String source) {
        SensorSettings d = SensorSettings.defaults();
        if (s == null) return d;
        Duration every = d.sampleEvery();
        if (s.sample_every() != null) {
            every = parse(source, "sensors.sample_every", () -> Durations.parse(s.sample_every()));
            if (every.toMillis() < 50)
                throw new IllegalArgumentException(source + ": key 'sensors.sample_every': at least 50ms");
        }
        List<String> apps = s.exclusive_apps() != null ? s.exclusive_apps() : d.exclusiveApps();
        for (String app : apps) {
            if (app == null || app.isBlank() || app.contains("/")) {
                throw new IllegalArgumentException(
                        source + ": key 'sensors.exclusive_apps': '" + app + "' is not a process name");
            }
        }
        return new SensorSettings(
                s.input_dir() != null ? Path.of(s.input_dir()) : d.inputDir(),
                s.evdev() != null ? s.evdev() : d.evdev(),
                s.x11() != null ? s.x11() : d.x11(),
                s.logind() != null ? s.logind() : d.logind(),
                s.dbus_address() != null ? s.dbus_address() : d.dbusAddress(),
                s.proc_dir() != null ? Path.of(s.proc_dir()) : d.procDir(),
                s.power_dir() != null ? Path.of(s.power_dir()) : d.powerDir(),
                every,
                apps,
                s.gpu() != null ? s.gpu() : d.gpu());
    }

    private interface Parse<T> {
        T get();
    }

    /** For parsers whose messages already name the key ({@code key 'desk.vcpus': ...}). */
    private static <T> T parse(String source, Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static <T> T parse(String source, String key, Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": key '" + key + "': " + e.getMessage());
        }
    }

    private static String keyPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static Path defaultStateDir(String name) {
        if ("root".equals(System.getProperty("user.name"))) return Path.of("/var/lib/cyphon/agent-" + name);
        return Path.of(System.getProperty("user.home"), ".local", "state", "cyphon", "agent-" + name);
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
