package org.cyphon.core.owner;

/**
 * The survival function of idle-period lengths, S(x) = P(an idle period lasts at least x), from
 * (decayed) counts of periods that ended in each {@link IdleLengthBins bin} and of periods whose
 * end was not seen (censored: the desk went off, or reports stopped). A Kaplan–Meier estimate on
 * the bins: a censored period counts as at risk in every bin before its own and for half of its
 * own, so censoring neither hides long periods nor invents endings. Within a bin the hazard is
 * spread evenly over log length. Immutable.
 */
final class IdleSurvival {
    private final double[] atRisk;
    private final double[] hazard;
    private final double[] survivalAtLower;

    IdleSurvival(double[] ended, int endedFrom, double[] censored, int censoredFrom) {
        int n = IdleLengthBins.COUNT;
        atRisk = new double[n + 1];
        hazard = new double[n];
        survivalAtLower = new double[n + 1];
        for (int k = n - 1; k >= 0; k--) atRisk[k] = atRisk[k + 1] + ended[endedFrom + k] + censored[censoredFrom + k];
        survivalAtLower[0] = 1;
        for (int k = 0; k < n; k++) {
            double e = ended[endedFrom + k];
            double exposed = atRisk[k] - censored[censoredFrom + k] / 2;
            hazard[k] = e <= 0 || exposed <= 0 ? 0 : Math.min(1, e / exposed);
            survivalAtLower[k + 1] = survivalAtLower[k] * (1 - hazard[k]);
        }
    }

    /** S(x) for a length in seconds. */
    double survival(double seconds) {
        if (seconds <= 0) return 1;
        int k = IdleLengthBins.of(seconds);
        double f = IdleLengthBins.fraction(seconds, k);
        double h = hazard[k];
        if (h >= 1) return f >= 1 ? 0 : survivalAtLower[k] * (1 - f);
        return survivalAtLower[k] * Math.pow(1 - h, f);
    }

    /** How many (decayed) periods were still going at this length: the evidence behind S beyond it. */
    double atRisk(double seconds) {
        int k = IdleLengthBins.of(Math.max(0, seconds));
        double f = IdleLengthBins.fraction(Math.max(0, seconds), k);
        return atRisk[k + 1] + (atRisk[k] - atRisk[k + 1]) * (1 - f);
    }
}
