package org.cyphon.agent.sensors;

import java.util.OptionalDouble;

/**
 * The output of {@code nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits}: one
 * line per GPU, a percentage ({@code 37}), or {@code [N/A]} / {@code [Not Supported]} for GPUs that
 * do not report it.
 */
final class NvidiaSmiOutput {

    private NvidiaSmiOutput() {}

    /**
     * The busiest GPU's utilisation as a fraction 0..1 (a game or a render uses one GPU; averaging
     * with an idle second GPU would halve it); empty when no line holds a number.
     */
    static OptionalDouble busiest(String output) {
        double max = -1;
        for (String line : output.split("\n")) {
            String v = line.strip();
            if (!v.matches("\\d+(\\.\\d+)?")) continue;
            max = Math.max(max, Double.parseDouble(v));
        }
        return max < 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(100, max) / 100.0);
    }
}
