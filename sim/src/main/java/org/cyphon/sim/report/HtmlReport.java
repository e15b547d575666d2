package org.cyphon.sim.report;

import java.util.List;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimResult;

/**
 * The {@code --report} page: one self-contained HTML file (inline CSS and SVG, no scripts, no
 * downloads) with the table, the policies side by side ({@link PolicyBars}), harvest over time per
 * policy ({@link HarvestTimeline}), and desk x hour maps of the owner and of the harvest
 * ({@link DeskHeatmap}).
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(SimResult r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append(
                        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cyphon simulate</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append(
                        "pre{background:#f8f8f8;padding:1em;white-space:pre-wrap}svg{background:#fff;border:1px solid #ddd}")
                .append("svg text{fill:#222}")
                .append("</style></head><body>\n<h1>cyphon simulate</h1>\n");
        b.append("<pre>").append(esc(TableReport.render(r))).append("</pre>\n");
        b.append("<h2>Policies side by side</h2>\n")
                .append("<p>Harvest efficiency is useful job work over the idle desk CPU available: completed jobs'")
                .append(" work and what checkpoints saved of the others; work in progress at the horizon that no")
                .append(" checkpoint saved is not counted (docs/simulator.md, Metrics).</p>\n")
                .append(PolicyBars.render(r.policies()));
        b.append("<h2>Harvest over time</h2>\n<p>Job progress as a share of the idle desk CPU available, per ")
                .append(HarvestTimeline.BUCKET_HOURS)
                .append(" hours; day 0 starts at ")
                .append(esc(r.origin().toString()))
                .append(". Lines that coincide are drawn widest first, so each stays visible.</p>\n")
                .append(HarvestTimeline.render(r.policies(), r.horizonMs()));
        PolicyResult shown = pick(r.policies());
        if (shown != null && shown.heatPresent().length > 0) {
            b.append("<h2>Desks x hours (policy ")
                    .append(esc(shown.name()))
                    .append(")</h2>\n<p>The first ")
                    .append(shown.heatPresent().length)
                    .append(" desks, one row each; day 0 starts at ")
                    .append(esc(r.origin().toString()))
                    .append(".</p>\n<h3>The owner</h3>\n")
                    .append(DeskHeatmap.presence(r.heatmapDesks(), shown.heatPresent(), shown.heatOff(), r.horizonMs()))
                    .append("<h3>The harvest</h3>\n")
                    .append(DeskHeatmap.harvest(r.heatmapDesks(), shown.heatHarvest(), shown.heatOff(), r.horizonMs()));
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    /** The default preset when it was simulated, else the first. */
    private static PolicyResult pick(List<PolicyResult> ps) {
        for (PolicyResult p : ps) if (p.name().equals("desktop")) return p;
        return ps.isEmpty() ? null : ps.getFirst();
    }

    static String esc(String t) {
        return Svg.esc(t);
    }
}
