package org.cyphon.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimConfig;
import org.cyphon.sim.engine.SimResult;
import org.cyphon.sim.owners.OwnerSources;
import org.junit.jupiter.api.Test;

/**
 * The report's charts, read back from the SVG: every label inside its picture, axes with names
 * and day ticks, lines told apart, and legends that say what each colour means.
 */
class HtmlReportTest {
    static final int HOURS = 28 * 24;
    static final Pattern SVG = Pattern.compile(
            "<svg width=\"(\\d+)\" height=\"(\\d+)\" viewBox=\"0 0 (\\d+) (\\d+)\".*?</svg>", Pattern.DOTALL);
    static final Pattern TEXT = Pattern.compile(
            "<text x=\"([-\\d.]+)\" y=\"([-\\d.]+)\" font-size=\"(\\d+)\" text-anchor=\"(\\w+)\"( transform=\"[^\"]*\")?>([^<]*)</text>");

    /** A policy whose figures are given; the series are flat unless set. */
    static PolicyResult policy(String name, double harvest, double interferenceCpuH, long visible) {
        double[] progress = new double[HOURS];
        double[] available = new double[HOURS];
        Arrays.fill(available, 4 * 3600.0);
        for (int h = 0; h < HOURS; h++) progress[h] = available[h] * harvest;
        float[][] present = new float[3][HOURS];
        float[][] off = new float[3][HOURS];
        float[][] harvested = new float[3][HOURS];
        for (int h = 0; h < 10; h++) present[0][h] = 1; // desk 0: the owner for the first 10 hours
        for (int h = 24; h < 48; h++) off[1][h] = 1; // desk 1: off all of day 1
        for (int h = 48; h < 60; h++) harvested[2][h] = 1; // desk 2: all cores busy for 12 hours
        return new PolicyResult(
                name,
                harvest,
                harvest * 4 * 3600 * HOURS,
                4 * 3600.0 * HOURS,
                interferenceCpuH * 3600,
                0,
                interferenceCpuH * 3600,
                0,
                100,
                visible,
                0,
                0,
                0,
                10,
                0,
                0,
                1,
                1.5,
                Duration.ofDays(27).toSeconds(),
                0,
                0,
                0,
                0,
                10,
                1000,
                progress,
                available,
                present,
                off,
                harvested,
                "idle");
    }

    static SimResult result(PolicyResult... policies) {
        return new SimResult(
                "test owners",
                null,
                "test jobs",
                OwnerSources.DEFAULT_ORIGIN,
                Duration.ofDays(28).toMillis(),
                3,
                10,
                0,
                0,
                SimConfig.defaults(),
                List.of(policies),
                List.of("desk-a", "desk-b", "desk-c"));
    }

    record Text(double x, double y, int size, String anchor, boolean rotated, String content) {}

    record Chart(int width, int height, String body, List<Text> texts) {}

    static List<Chart> charts(String html) {
        List<Chart> out = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            assertThat(m.group(1)).isEqualTo(m.group(3));
            assertThat(m.group(2)).isEqualTo(m.group(4));
            List<Text> texts = new ArrayList<>();
            Matcher t = TEXT.matcher(m.group());
            while (t.find()) {
                texts.add(new Text(
                        Double.parseDouble(t.group(1)),
                        Double.parseDouble(t.group(2)),
                        Integer.parseInt(t.group(3)),
                        t.group(4),
                        t.group(5) != null,
                        t.group(6)));
            }
            out.add(new Chart(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(), texts));
        }
        return out;
    }

    /** The report as the reviewer saw it: one policy's interference label would have started at x=655 of 720. */
    static final SimResult CROWDED = result(
            policy("desktop", 0.303, 151.41, 0),
            policy("htcondor-desktop", 0.298, 377.98, 4830),
            policy("strict", 0.303, 0, 0),
            policy("dedicated", 0.303, 151.41, 0));

    @Test
    void everyLabelStaysInsideItsPicture() {
        List<Chart> charts = charts(HtmlReport.render(CROWDED));

        assertThat(charts).hasSize(4);
        for (Chart c : charts) {
            assertThat(c.texts()).isNotEmpty();
            for (Text t : c.texts()) {
                String plain = t.content()
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&amp;", "&");
                double w = Svg.textWidth(plain, t.size());
                double from = t.rotated()
                        ? t.x() - t.size()
                        : switch (t.anchor()) {
                            case "start" -> t.x();
                            case "middle" -> t.x() - w / 2;
                            default -> t.x() - w;
                        };
                double to = t.rotated() ? t.x() : from + w;
                double top = t.rotated() ? t.y() - w / 2 : t.y() - t.size();
                double bottom = t.rotated() ? t.y() + w / 2 : t.y() + 3;
                assertThat(from).as("left edge of '%s'", t.content()).isGreaterThanOrEqualTo(0);
                assertThat(to)
                        .as("right edge of '%s' in %d", t.content(), c.width())
                        .isLessThanOrEqualTo(c.width());
                assertThat(top).as("top of '%s'", t.content()).isGreaterThanOrEqualTo(0);
                assertThat(bottom)
                        .as("bottom of '%s' in %d", t.content(), c.height())
                        .isLessThanOrEqualTo(c.height());
            }
        }
        assertThat(charts.getFirst().texts()).extracting(Text::content).contains("377.98 CPU-h, 4830 visible");
    }

    @Test
    void theTimelineHasNamedAxesDayTicksAndLinesThatCannotHideEachOther() {
        Chart timeline = charts(HtmlReport.render(CROWDED)).get(1);

        List<String> labels = timeline.texts().stream().map(Text::content).toList();
        assertThat(labels).contains("day", "harvest (% of idle CPU)", "0%", "100%");
        for (int d = 0; d <= 28; d++) assertThat(labels).contains(Integer.toString(d));
        // desktop, strict and dedicated have the same series: each line differs from the others in width or dashes.
        Matcher m = Pattern.compile("<polyline[^>]*stroke-width=\"([\\d.]+)\"( stroke-dasharray=\"([^\"]+)\")?")
                .matcher(timeline.body());
        Set<String> styles = new HashSet<>();
        int lines = 0;
        while (m.find()) {
            styles.add(m.group(1) + "/" + m.group(3));
            lines++;
        }
        assertThat(lines).isEqualTo(4);
        assertThat(styles).hasSize(4);
        assertThat(labels).contains("desktop", "htcondor-desktop", "strict", "dedicated");
    }

    @Test
    void theHeatmapsHaveAxesNamesAndLegendsAndTellOffFromAway() {
        List<Chart> charts = charts(HtmlReport.render(CROWDED));
        Chart owner = charts.get(2);
        Chart harvest = charts.get(3);

        for (Chart c : List.of(owner, harvest)) {
            List<String> labels = c.texts().stream().map(Text::content).toList();
            assertThat(labels).contains("desk", "day", "desk-a", "desk-c", "0", "7", "28", "desk off");
        }
        assertThat(owner.texts()).extracting(Text::content).contains("owner present", "owner away (desk on)");
        assertThat(harvest.texts()).extracting(Text::content).contains("0%", "100%");

        String present = DeskHeatmap.hex(DeskHeatmap.PRESENT);
        String away = DeskHeatmap.hex(DeskHeatmap.AWAY);
        String off = DeskHeatmap.hex(DeskHeatmap.OFF);
        assertThat(Set.of(present, away, off)).hasSize(3);
        // Desk 1 (row 2) is off for day 1: one grey run in both maps, its legend swatch grey too.
        assertThat(owner.body()).contains("fill=\"" + off + "\"", "fill=\"" + present + "\"");
        assertThat(harvest.body())
                .contains("fill=\"" + off + "\"", "fill=\"" + DeskHeatmap.hex(DeskHeatmap.HARVEST) + "\"");
    }

    @Test
    void withNoJobCompletedTheFiguresThatNeedOneSayNa() {
        PolicyResult none = policy("strict", 0, 0, 0);
        PolicyResult p = new PolicyResult(
                none.name(),
                0,
                0,
                none.idleCpuSecondsAvailable(),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                3600,
                0,
                0,
                1,
                0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                0,
                0,
                0,
                0,
                0,
                none.hourlyHarvest(),
                none.hourlyAvailable(),
                none.heatPresent(),
                none.heatOff(),
                none.heatHarvest(),
                "idle");
        SimResult r = result(p);

        String table = TableReport.render(r);
        String row =
                table.lines().filter(l -> l.startsWith("strict")).findFirst().orElseThrow();
        assertThat(row.split("\\s+")).endsWith("n/a", "n/a", "n/a");
        assertThat(table).contains("in progress at the horizon", "strict 1.0 CPU-h");
        assertThat(JsonReport.render(r))
                .contains("\"meanWaitSeconds\" : null", "\"meanBoundedSlowdown\" : null", "\"makespanSeconds\" : null")
                .contains("\"inProgressCpuSeconds\" : 3600.0");
    }
}
