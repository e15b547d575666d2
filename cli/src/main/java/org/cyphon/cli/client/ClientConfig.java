package org.cyphon.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Map;

/**
 * The client config file: where the CLI finds the coordinator when neither flags nor environment
 * say. A TOML file with the keys {@code url}, {@code token}, {@code ca_fingerprint} (the
 * coordinator's CA, pinned by {@code cyphon login}) and {@code insecure_http} (plain HTTP to another
 * machine allowed); any other key is rejected by name (a typo like {@code tokn} must not silently
 * fall back to nothing).
 *
 * <p>Location: {@code $CYPHON_CONFIG} if set, else {@code ${XDG_CONFIG_HOME:-$HOME/.config}/cyphon/client.toml}.
 * {@code cyphon up} writes it with {@link #write}; it holds a secret, so it is written mode 0600.
 */
public final class ClientConfig {
    private static final String KNOWN_KEYS = "url, token, ca_fingerprint, insecure_http";
    private static final TomlMapper TOML = new TomlMapper();

    private final Path file;
    private final String url;
    private final String token;
    private final String caFingerprint;
    private final boolean insecureHttp;

    private ClientConfig(Path file, String url, String token, String caFingerprint, boolean insecureHttp) {
        this.file = file;
        this.url = url;
        this.token = token;
        this.caFingerprint = caFingerprint;
        this.insecureHttp = insecureHttp;
    }

    /** The pinned CA ({@code sha256:...}) of the coordinator at {@link #url}, or null. */
    public String caFingerprint() {
        return caFingerprint;
    }

    /** Whether plain HTTP to a coordinator on another machine is allowed. */
    public boolean insecureHttp() {
        return insecureHttp;
    }

    /** The file this config was read from. */
    public Path file() {
        return file;
    }

    /** The coordinator URL, or null when the file does not set it. */
    public String url() {
        return url;
    }

    /** The bearer token, or null when the file does not set it. */
    public String token() {
        return token;
    }

    /** Where the client config lives for this process's environment. */
    public static Path defaultPath() {
        return defaultPath(System.getenv());
    }

    /** Where the client config lives for the given environment variables (tests pass their own). */
    public static Path defaultPath(Map<String, String> env) {
        String explicit = nonBlank(env.get("CYPHON_CONFIG"));
        if (explicit != null) return Path.of(explicit);
        String xdg = nonBlank(env.get("XDG_CONFIG_HOME"));
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        Path base = xdg != null && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : home(env).resolve(".config");
        return base.resolve("cyphon").resolve("client.toml");
    }

    /**
     * Reads a client config.
     *
     * @return null when the file does not exist
     * @throws InvalidInput naming the file and the key when it is not valid TOML or has a bad key
     */
    public static ClientConfig read(Path file) {
        JsonNode root;
        try {
            root = TOML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        } catch (JacksonException e) {
            throw new InvalidInput(file + ": not valid TOML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInput(file + ": cannot read: " + e.getMessage());
        }
        String url = null;
        String token = null;
        String ca = null;
        boolean insecure = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "url" -> url = text(file, e);
                case "token" -> token = text(file, e);
                case "ca_fingerprint" -> ca = text(file, e);
                case "insecure_http" -> {
                    if (!e.getValue().isBoolean())
                        throw new InvalidInput(file + ": insecure_http: must be true or false");
                    insecure = e.getValue().asBoolean();
                }
                default ->
                    throw new InvalidInput(
                            file + ": unknown key '" + e.getKey() + "' (known keys: " + KNOWN_KEYS + ")");
            }
        }
        return new ClientConfig(file, url, token, ca, insecure);
    }

    /**
     * Writes a client config: creates the parent directories, writes mode 0600 (the token is a
     * secret), and replaces any existing file atomically so a reader never sees half a file.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, String url, String token) {
        write(file, url, token, null);
    }

    /**
     * Writes a client config with a pinned CA (as {@link #write(Path, String, String)}).
     *
     * @param token         null: none yet (the user sets {@code CYPHON_TOKEN} or logs in again with one)
     * @param caFingerprint null: no pin
     */
    public static void write(Path file, String url, String token, String caFingerprint) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String text = "# Written by cyphon: where the cyphon CLI finds the coordinator.\n"
                + "url = " + tomlString(url) + "\n"
                + (token == null ? "" : "token = " + tomlString(token) + "\n")
                + (caFingerprint == null
                        ? ""
                        : "# The coordinator's CA: every command checks the server's certificate against it.\n"
                                + "ca_fingerprint = " + tomlString(caFingerprint) + "\n");
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = createPrivateTempFile(dir);
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(text));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write client config " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the write already failed and that is what the caller hears about.
                }
            }
        }
    }

    // Created 0600 from the start, so the token is never readable by others, not even briefly.
    private static Path createPrivateTempFile(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(
                    dir,
                    ".client.toml.",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, ".client.toml.", ".tmp");
    }

    /** A TOML basic string: quoted, with backslash, quote and control characters escaped. */
    static String tomlString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static String text(Path file, Map.Entry<String, JsonNode> e) {
        if (!e.getValue().isTextual()) throw new InvalidInput(file + ": " + e.getKey() + ": must be a string");
        return nonBlank(e.getValue().asText());
    }

    private static Path home(Map<String, String> env) {
        String home = nonBlank(env.get("HOME"));
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
