package org.cyphon.sim.owners;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.sim.InputError;

/**
 * Turns an {@code --owners SOURCE} text into an owner trace: {@code intervals:FILE},
 * {@code history:FILE}, {@code cpu:FILE[,FILE...]} or {@code fit:NAME}.
 */
public final class OwnerSources {
    /** 2026-11-02 is a Monday: generated pools start a week at midnight UTC. */
    public static final Instant DEFAULT_ORIGIN = Instant.parse("2026-11-02T00:00:00Z");

    /**
     * @param machines         fit: how many desks; cpu: at most this many hosts (0: all)
     * @param days             fit: how many days
     * @param distribution     fit: weibull, lognormal, gamma or exponential
     * @param presentThreshold cpu: utilisation percent at or above which the owner is present
     */
    public record Options(
            int machines,
            int days,
            long seed,
            String distribution,
            boolean officeHours,
            int cores,
            double presentThreshold,
            Instant origin) {
        public static Options defaults() {
            return new Options(100, 28, 1, "weibull", false, 4, 10, DEFAULT_ORIGIN);
        }
    }

    private OwnerSources() {}

    public static OwnerTrace load(String spec, Options o) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new InputError(
                    "--owners '" + spec + "': expected intervals:FILE, history:FILE, cpu:FILE[,FILE...] or fit:NAME");
        }
        String kind = spec.substring(0, colon);
        String arg = spec.substring(colon + 1);
        return switch (kind) {
            case "intervals" -> IntervalsReader.read(Path.of(arg), o.origin(), false);
            case "history" -> IntervalsReader.read(Path.of(arg), o.origin(), true);
            case "cpu" ->
                CpuOwners.presence(
                        PlanetLabReader.read(files(arg)), o.presentThreshold(), o.cores(), o.machines(), o.origin());
            case "fit" -> {
                if (o.machines() <= 0)
                    throw new InputError("--machines must be positive for fit:, not " + o.machines());
                if (o.days() <= 0) throw new InputError("--days must be positive for fit:, not " + o.days());
                if (!PeriodDistribution.KINDS.contains(o.distribution())) {
                    throw new InputError("--fit-distribution '" + o.distribution() + "' is not one of "
                            + String.join(", ", PeriodDistribution.KINDS));
                }
                yield FitGenerator.generate(
                        FtaFits.bundled().fit(arg, o.distribution()),
                        o.machines(),
                        o.days(),
                        o.seed(),
                        o.officeHours(),
                        o.origin());
            }
            default ->
                throw new InputError(
                        "--owners '" + spec + "': unknown source '" + kind + "' (intervals, history, cpu or fit)");
        };
    }

    /** {@code --owner-cpu cpu:FILE[,FILE...]}: the owner's demand while present, over another presence source. */
    public static OwnerTrace withOwnerCpu(OwnerTrace presence, String spec, int cores) {
        if (!spec.startsWith("cpu:") || spec.length() == 4)
            throw new InputError("--owner-cpu '" + spec + "': expected cpu:FILE[,FILE...]");
        return CpuOwners.withDemand(presence, PlanetLabReader.read(files(spec.substring(4))), cores);
    }

    private static List<Path> files(String list) {
        List<Path> out = new ArrayList<>();
        for (String f : list.split(",")) if (!f.isBlank()) out.add(Path.of(f.trim()));
        return out;
    }
}
