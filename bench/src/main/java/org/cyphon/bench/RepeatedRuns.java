package org.cyphon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Figures from several runs of one benchmark. On a small shared VM two identical runs differ by
 * 20% or more (seen: 2,753 to 4,358 jobs/s for one dispatch build, all undisturbed), so a figure
 * for the README should be a median with its spread, not one draw.
 */
final class RepeatedRuns {
    private final List<Double> rates = new ArrayList<>();

    void add(double rate) {
        rates.add(rate);
    }

    int count() {
        return rates.size();
    }

    double median() {
        List<Double> s = rates.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** "median of 3 runs: 2,753, 3,457, 3,538" (in the order run). */
    String describe() {
        return "median of " + rates.size() + " runs: "
                + rates.stream().map(Figures::rate).collect(Collectors.joining(", "));
    }
}
