package org.cyphon.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.SwfReader;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;
import org.cyphon.sim.report.HtmlReport;
import org.cyphon.sim.report.JsonReport;
import org.junit.jupiter.api.Test;

class DeterminismTest {
    static String json(long seed, int threads) {
        OwnerTrace owners = OwnerSources.load(
                "fit:nd07cpu",
                new OwnerSources.Options(20, 4, seed, "weibull", false, 4, 10, OwnerSources.DEFAULT_ORIGIN));
        JobTrace jobs = SwfReader.read(Path.of("src/test/resources/kth-excerpt.swf"), 0.2, 4, 0);
        SimConfig cfg = SimConfig.builder()
                .cores(4)
                .checkpointable(0.5)
                .saturate(false)
                .seed(seed)
                .heatmapDesks(10)
                .threads(threads)
                .placementOffers(0)
                .build();
        return JsonReport.render(Simulation.run(owners, jobs, cfg));
    }

    @Test
    void theSameSeedGivesTheSameJsonWhateverTheThreads() {
        String a = json(11, 2);
        String b = json(11, 2);
        String c = json(11, 1);

        assertThat(a).isEqualTo(b).isEqualTo(c);
        assertThat(a)
                .contains(
                        "\"policies\"",
                        "\"harvestEfficiency\"",
                        "\"ownerInterferenceCpuSeconds\"",
                        "\"ownerVisibleEvents\"",
                        "\"wastedCpuSeconds\"",
                        "\"jobsCompleted\"");
        assertThat(json(12, 2)).isNotEqualTo(a);
    }

    @Test
    void theReportIsOneSelfContainedPage() {
        OwnerTrace owners = OwnerSources.load(
                "fit:nd07cpu", new OwnerSources.Options(5, 2, 1, "weibull", true, 4, 10, OwnerSources.DEFAULT_ORIGIN));
        SimResult r = Simulation.run(
                owners,
                JobTrace.none(),
                SimConfig.defaults().withPolicies(List.of("desktop", "strict")).withSaturate(true));
        String html = HtmlReport.render(r);

        assertThat(html)
                .startsWith("<!doctype html>")
                .contains("<svg", "Harvest over time", "Desks x hours", "desktop", "strict")
                .doesNotContain("<script", " src=", " href=", "<link");
    }
}
