package org.cyphon.sim.owners;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cyphon.sim.InputError;

/**
 * Reads PlanetLab/CoMon CPU files ({@code cpu:FILE[,FILE...]}): a header {@code host,t0,...,t287}
 * and one row per host of 5-minute utilisation percentages (0-100), one file per day. Several
 * files are several days, in the order of their file names (the names carry the date).
 */
public final class PlanetLabReader {
    private PlanetLabReader() {}

    public static CpuSeries read(List<Path> files) {
        List<Path> ordered = new ArrayList<>(files);
        ordered.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Map<String, float[]> byHost = new TreeMap<>();
        int slots = 0;
        List<String> names = new ArrayList<>();
        for (Path file : ordered) {
            Map<String, float[]> day = readDay(file);
            int daySlots = day.isEmpty() ? 0 : day.values().iterator().next().length;
            for (Map.Entry<String, float[]> e : day.entrySet()) {
                float[] all = byHost.get(e.getKey());
                if (all == null) {
                    all = new float[slots];
                    Arrays.fill(all, Float.NaN);
                }
                float[] grown = Arrays.copyOf(all, slots + daySlots);
                System.arraycopy(e.getValue(), 0, grown, slots, daySlots);
                byHost.put(e.getKey(), grown);
            }
            slots += daySlots;
            for (Map.Entry<String, float[]> e : byHost.entrySet()) {
                if (e.getValue().length < slots) {
                    float[] grown = Arrays.copyOf(e.getValue(), slots);
                    Arrays.fill(grown, e.getValue().length, slots, Float.NaN);
                    e.setValue(grown);
                }
            }
            names.add(file.toString());
        }
        if (byHost.isEmpty()) throw new InputError(String.join(",", names) + ": no host rows");
        return new CpuSeries(byHost, slots, names);
    }

    private static Map<String, float[]> readDay(Path file) {
        String name = file.toString();
        Map<String, float[]> rows = new TreeMap<>();
        long lineNo = 0;
        int columns = -1;
        try (BufferedReader r = TextLines.open(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                if (columns < 0) {
                    if (!f[0].trim().equals("host") || f.length < 2) {
                        throw InputError.at(name, lineNo, "expected the header host,t0,t1,... (PlanetLab CPU CSV)");
                    }
                    columns = f.length;
                    continue;
                }
                if (f.length != columns) {
                    throw InputError.at(
                            name,
                            lineNo,
                            "expected " + columns + " comma-separated fields like the header, found " + f.length);
                }
                float[] v = new float[columns - 1];
                for (int i = 1; i < columns; i++) {
                    try {
                        float x = Float.parseFloat(f[i].trim());
                        if (!(x >= 0 && x <= 100)) throw new NumberFormatException();
                        v[i - 1] = x;
                    } catch (NumberFormatException e) {
                        throw InputError.at(
                                name,
                                lineNo,
                                "field " + (i + 1) + " '" + f[i].trim() + "' is not a utilisation percentage 0-100");
                    }
                }
                String host = f[0].trim();
                if (host.isEmpty()) throw InputError.at(name, lineNo, "empty host name");
                if (rows.put(host, v) != null) throw InputError.at(name, lineNo, "host " + host + " appears twice");
            }
        } catch (IOException e) {
            throw TextLines.readFailed(file, e);
        }
        if (columns < 0) throw new InputError(name + ": empty file (expected the header host,t0,t1,...)");
        return rows;
    }
}
