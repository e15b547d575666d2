package org.cyphon.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The owner's GPU use: everyone's use but what the jobs cause on the GPUs they hold. */
class OwnerGpuUseTest {
    private static final String A = "GPU-aaaaaaaa-0000-0000-0000-000000000000";
    private static final String B = "GPU-bbbbbbbb-0000-0000-0000-000000000000";
    private static final JobProcesses JOB_PIDS = pid -> pid >= 1000 && pid < 2000;

    private static Gpu gpu(int index, String uuid, Double busy) {
        return new Gpu(index, uuid, "test", 1024, busy, "00000000:0" + index + ":00.0", index);
    }

    @Test
    void aGpuOnlyAJobComputesOnIsNotTheOwnersBusyGpu() {
        var gpus = List.of(gpu(0, A, 0.95), gpu(1, B, 0.10));
        var apps = List.of(new ComputeApp(1001, A), new ComputeApp(1002, A));
        assertThat(OwnerGpuUse.busiest(gpus, apps, Set.of(A), JOB_PIDS).getAsDouble())
                .isCloseTo(0.10, within(1e-9));
    }

    @Test
    void theOwnersProcessOnAJobsGpuMakesAllOfItsUseTheOwners() {
        var gpus = List.of(gpu(0, A, 0.95));
        var apps = List.of(new ComputeApp(1001, A), new ComputeApp(77, A));
        assertThat(OwnerGpuUse.busiest(gpus, apps, Set.of(A), JOB_PIDS).getAsDouble())
                .isCloseTo(0.95, within(1e-9));
    }

    @Test
    void useWithNothingComputingIsGraphicsAndTheOwnersEvenOnAJobsGpu() {
        var gpus = List.of(gpu(0, A, 0.60));
        assertThat(OwnerGpuUse.busiest(gpus, List.of(), Set.of(A), JOB_PIDS).getAsDouble())
                .isCloseTo(0.60, within(1e-9));
    }

    @Test
    void aJobsProcessOnAGpuItDoesNotHoldCountsAsTheOwners() {
        var gpus = List.of(gpu(0, A, 0.80));
        var apps = List.of(new ComputeApp(1001, A));
        assertThat(OwnerGpuUse.busiest(gpus, apps, Set.of(), JOB_PIDS).getAsDouble())
                .isCloseTo(0.80, within(1e-9));
    }

    @Test
    void gpusWithoutAFigureAreSkipped() {
        assertThat(OwnerGpuUse.busiest(List.of(gpu(0, A, null)), List.of(), Set.of(), JOB_PIDS))
                .isEmpty();
        assertThat(OwnerGpuUse.busiest(List.of(gpu(0, A, null), gpu(1, B, 0.2)), List.of(), Set.of(), JOB_PIDS)
                        .getAsDouble())
                .isCloseTo(0.2, within(1e-9));
    }
}
