package org.cyphon.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How a job's command (JSON array) and environment (JSON object) are kept in their VARCHAR columns. */
public final class StoredJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    private StoredJson() {}

    public static String command(List<String> command) {
        return write(command);
    }

    /** Sorted by name so the same environment is always stored the same way. */
    public static String env(Map<String, String> env) {
        return write(new TreeMap<>(env));
    }

    static List<String> readCommand(String json) {
        try {
            return JSON.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored command is not a JSON array: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> readEnv(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored env is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** A label map (job requirements, machine labels), sorted; null when empty so most rows store nothing. */
    public static String labels(Map<String, String> labels) {
        return labels == null || labels.isEmpty() ? null : write(new TreeMap<>(labels));
    }

    /** Never null: an empty map for a NULL column. */
    public static Map<String, String> readLabels(String json) {
        if (json == null || json.isEmpty()) return Map.of();
        try {
            return Map.copyOf(JSON.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static final TypeReference<List<org.cyphon.core.protocol.WallView>> WALLS = new TypeReference<>() {};

    /** A desk's walls as its agent reported them; null for none said. */
    public static String walls(List<org.cyphon.core.protocol.WallView> walls) {
        return walls == null ? null : write(walls);
    }

    /** Never null: an empty list for a NULL column. */
    public static List<org.cyphon.core.protocol.WallView> readWalls(String json) {
        if (json == null || json.isEmpty()) return List.of();
        try {
            return List.copyOf(JSON.readValue(json, WALLS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored walls are not a JSON list: " + e.getOriginalMessage(), e);
        }
    }

    /** Sealed secret values by name (see SecretsKey), sorted; null when there are none. */
    public static String sealedSecrets(Map<String, String> sealed) {
        return labels(sealed);
    }

    /** Never null: an empty map for a NULL column. */
    static Map<String, String> readSealedSecrets(String json) {
        return readLabels(json);
    }

    /** A job's files, or null when it has none (so most rows store nothing). */
    public static String files(org.cyphon.core.protocol.JobFiles files) {
        return files == null || files.isEmpty() ? null : write(files);
    }

    /** Never null: {@code JobFiles.NONE} for a NULL column. */
    public static org.cyphon.core.protocol.JobFiles readFiles(String json) {
        if (json == null || json.isEmpty()) return org.cyphon.core.protocol.JobFiles.NONE;
        try {
            return JSON.readValue(json, org.cyphon.core.protocol.JobFiles.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored files are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static final TypeReference<List<org.cyphon.core.protocol.GpuView>> GPUS = new TypeReference<>() {};

    /** A machine's GPUs as its agent last reported them; null when there are none, so most rows store nothing. */
    public static String gpus(List<org.cyphon.core.protocol.GpuView> gpus) {
        return gpus == null || gpus.isEmpty() ? null : write(gpus);
    }

    /** Never null: an empty list for a NULL column. */
    static List<org.cyphon.core.protocol.GpuView> readGpus(String json) {
        if (json == null || json.isEmpty()) return List.of();
        try {
            return List.copyOf(JSON.readValue(json, GPUS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored GPUs are not a JSON array: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
