package org.cyphon.core.protocol;

import java.util.Map;

/**
 * What an agent measured of its machine at enrollment, whatever its agent.toml says: the CPUs the
 * kernel gives it, MemTotal, and the labels it detects itself ({@code os}, {@code arch}, and
 * {@code gpu} when a GPU driver shows one). The coordinator compares what the machine advertises
 * (its {@code cpus}, {@code memory} and labels) against this and flags contradictions.
 */
public record MeasuredResources(double cpus, long memoryBytes, Map<String, String> labels) {
    public MeasuredResources {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
