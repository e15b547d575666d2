package org.cyphon.sim.owners;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A fitted distribution of period lengths, in hours, as the Failure Trace Archive paper states
 * its fits: Weibull (shape k, scale lambda), lognormal (mu, sigma of ln hours), gamma (shape k,
 * scale theta), exponential (mean). Sampling uses only the given generator (determinism).
 */
public record PeriodDistribution(String kind, double p1, double p2) {
    public static final java.util.List<String> KINDS =
            java.util.List.of("weibull", "lognormal", "gamma", "exponential");

    public PeriodDistribution {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown distribution " + kind);
    }

    /** One period length in hours. */
    public double sampleHours(SplittableRandom r) {
        return switch (kind) {
            case "exponential" -> -p1 * Math.log(1 - r.nextDouble());
            case "weibull" -> p2 * Math.pow(-Math.log(1 - r.nextDouble()), 1 / p1);
            case "lognormal" -> Math.exp(p1 + p2 * r.nextGaussian());
            case "gamma" -> p2 * gamma(p1, r);
            default -> throw new IllegalStateException(kind);
        };
    }

    /** The mean in hours, for the report. */
    public double meanHours() {
        return switch (kind) {
            case "exponential" -> p1;
            case "weibull" -> p2 * Math.exp(logGamma(1 + 1 / p1));
            case "lognormal" -> Math.exp(p1 + p2 * p2 / 2);
            case "gamma" -> p1 * p2;
            default -> throw new IllegalStateException(kind);
        };
    }

    /**
     * A standard gamma variate (scale 1) by Marsaglia and Tsang's method ("A simple method for
     * generating gamma variables", ACM TOMS 26(3), 2000); for shape below 1, boosted to shape + 1
     * and scaled by U^(1/shape), as the paper suggests.
     */
    static double gamma(double shape, SplittableRandom r) {
        if (shape < 1) {
            double u = r.nextDouble();
            return gamma(shape + 1, r) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = r.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = r.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }

    /** Lanczos approximation of ln Gamma(x), x > 0 (for the Weibull mean only). */
    static double logGamma(double x) {
        double[] g = {
            676.5203681218851,
            -1259.1392167224028,
            771.3234287776531,
            -176.6150291621406,
            12.507343278686905,
            -0.13857109526572012,
            9.984369578019572e-6,
            1.5056327351493116e-7
        };
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double a = 0.9999999999998099;
        double t = x + 7.5;
        for (int i = 0; i < 8; i++) a += g[i] / (x + i + 1);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "exponential" -> "exponential(mean " + p1 + " h)";
            case "weibull" -> "weibull(k " + p1 + ", lambda " + p2 + " h)";
            case "lognormal" -> "lognormal(mu " + p1 + ", sigma " + p2 + ")";
            case "gamma" -> "gamma(k " + p1 + ", theta " + p2 + " h)";
            default -> kind;
        };
    }
}
