package org.cyphon.sim.owners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cyphon.sim.InputError;

/**
 * The fitted availability distributions of the Failure Trace Archive paper (Javadi, Kondo, Iosup,
 * Epema, "The Failure Trace Archive: Enabling the comparison of failure measurements and models of
 * distributed systems", JPDC 73(8), 2013), as tabulated in the project's data folder
 * ({@code ../shared/data/fta-fits.csv}); a copy is a resource of this module ({@code fta-fits.csv})
 * so the simulator works without that folder. Parameters are in hours.
 */
public final class FtaFits {
    /** One dataset's two fits: available (the owner away) and unavailable (the owner's) periods. */
    public record Fit(
            String dataset, String description, PeriodDistribution available, PeriodDistribution unavailable) {}

    private final Map<String, Map<String, PeriodDistribution[]>> table;
    private final Map<String, String> descriptions;

    private FtaFits(Map<String, Map<String, PeriodDistribution[]>> table, Map<String, String> descriptions) {
        this.table = table;
        this.descriptions = descriptions;
    }

    public static FtaFits bundled() {
        try (InputStream in = FtaFits.class.getResourceAsStream("fta-fits.csv")) {
            if (in == null) throw new IllegalStateException("fta-fits.csv missing from the simulator's resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, Map<String, PeriodDistribution[]>> table = new LinkedHashMap<>();
            Map<String, String> descriptions = new LinkedHashMap<>();
            String line = r.readLine(); // header: dataset,kind,period,distribution,p1,p2
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                double p1 = Double.parseDouble(f[4]);
                double p2 = f[5].isBlank() ? 0 : Double.parseDouble(f[5]);
                PeriodDistribution[] pair = table.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                        .computeIfAbsent(f[3], k -> new PeriodDistribution[2]);
                pair[f[2].equals("available") ? 0 : 1] = new PeriodDistribution(f[3], p1, p2);
                descriptions.putIfAbsent(f[0], f[1]);
            }
            return new FtaFits(table, descriptions);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled fta-fits.csv", e);
        }
    }

    public List<String> datasets() {
        return new ArrayList<>(table.keySet());
    }

    /** @throws InputError naming the known datasets and the distributions each has */
    public Fit fit(String dataset, String distribution) {
        Map<String, PeriodDistribution[]> byKind = table.get(dataset);
        if (byKind == null)
            throw new InputError(
                    "fit:" + dataset + ": unknown dataset (known: " + String.join(", ", table.keySet()) + ")");
        PeriodDistribution[] pair = byKind.get(distribution);
        if (pair == null || pair[0] == null || pair[1] == null) {
            throw new InputError("fit:" + dataset + ": no " + distribution + " fit (it has: "
                    + String.join(", ", new TreeSet<>(byKind.keySet())) + ")");
        }
        return new Fit(dataset, descriptions.get(dataset), pair[0], pair[1]);
    }
}
