package org.cyphon.sim.owners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.cyphon.sim.InputError;

/** Opens a trace file for reading, transparently gunzipping names ending in {@code .gz}. */
public final class TextLines {
    private TextLines() {}

    public static BufferedReader open(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": no such file");
        } catch (IOException e) {
            throw new InputError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static InputError readFailed(Path file, IOException e) {
        return new InputError(file + ": cannot read: " + e.getMessage(), e);
    }
}
