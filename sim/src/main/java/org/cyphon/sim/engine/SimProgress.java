package org.cyphon.sim.engine;

/**
 * Told how far each policy's run has got, for a progress display. Called from the simulation's
 * threads (one per policy run at a time), every half percent of the owner trace's time or so;
 * nothing it does can change the results.
 */
@FunctionalInterface
public interface SimProgress {
    SimProgress NONE = (policy, fraction) -> {};

    /**
     * @param policy   the preset being simulated
     * @param fraction of the owner trace's time simulated so far, 0 to 1 (1: that policy is done)
     */
    void reached(String policy, double fraction);
}
