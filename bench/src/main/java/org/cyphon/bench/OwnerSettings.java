package org.cyphon.bench;

import java.time.Duration;
import java.util.List;
import org.cyphon.bench.BenchOptions.Option;
import org.cyphon.core.text.Sizes;

/** What {@code bench/run owner} was asked to do, from its options. */
record OwnerSettings(
        String cases,
        long xzBytes,
        long seed,
        int rounds,
        double maxOthers,
        int retries,
        long intervalUs,
        Duration settle,
        Duration typeEvery,
        int trials,
        Duration thawAfterIdle,
        Duration yieldTimeout,
        String deskPolicyExtra,
        boolean keep) {

    static final List<Option> OPTIONS = List.of(
            new Option(
                    "cases",
                    "abcdef",
                    "which cases to run: a alone, b nice-0 burners, c nice-19 burners, d Cyphon desktop, e yield under strict, f SCHED_IDLE burners (d's floor)"),
            new Option(
                    "xz-size",
                    "32M",
                    "size of the seeded pseudo-random text the owner's xz -9 compresses (sets the length of cases a-d and f)"),
            new Option("seed", "1", "seed of that text, and of the pauses between (e) trials"),
            new Option(
                    "rounds",
                    "1",
                    "rounds, each running cases a, b, c, f, d in turn; figures are medians, and each case is compared with (a) and (f) of the same round"),
            new Option(
                    "max-others",
                    "0.15",
                    "a run during which other people's processes used more cores than this is disturbed: run again"),
            new Option(
                    "retries",
                    "3",
                    "extra runs of a case in a round when one was disturbed; then the least disturbed is kept, flagged"),
            new Option("interval-us", "1000", "cyclictest's wake-up interval in microseconds"),
            new Option("settle", "3s", "time between starting a case's background (and the typist) and measuring"),
            new Option("type-every", "1s", "the owner's typing: one xdotool key press this often, in cases a-d and f"),
            new Option("trials", "60", "(e) key presses counted (at least 50 for a p99 worth the name)"),
            new Option(
                    "thaw-after-idle",
                    "2s",
                    "(e) [policy] thaw_after_idle of the strict desk: how long each trial waits for the thaw"),
            new Option(
                    "yield-timeout",
                    "10s",
                    "(e) a job still making progress this long after a key press fails the run"),
            new Option(
                    "desk-policy",
                    "",
                    "(d) extra [policy] keys after preset = \"desktop\", ';'-separated, e.g. 'owner_cpu_max = \"off\"'"),
            new Option(
                    "keep",
                    "false",
                    "keep the scratch directory (logs, histograms, agent state) after a successful run"));

    static OwnerSettings from(BenchOptions o) {
        String cases = o.string("cases");
        if (!cases.matches("[a-f]+")) {
            System.err.println("bench/run owner: option '--cases' must be letters from abcdef, got '" + cases + "'");
            System.exit(2);
        }
        long xz;
        try {
            xz = Sizes.parse(o.string("xz-size"));
            if (xz <= 0) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            System.err.println("bench/run owner: option '--xz-size' must be a size such as 32M, got '"
                    + o.string("xz-size") + "'");
            System.exit(2);
            return null;
        }
        return new OwnerSettings(
                cases,
                xz,
                o.positiveInt("seed"),
                o.positiveInt("rounds"),
                o.positiveDouble("max-others"),
                o.nonNegativeInt("retries"),
                o.positiveInt("interval-us"),
                o.duration("settle"),
                o.duration("type-every"),
                o.positiveInt("trials"),
                o.duration("thaw-after-idle"),
                o.duration("yield-timeout"),
                o.string("desk-policy"),
                o.flag("keep"));
    }

    boolean runs(char c) {
        return cases.indexOf(c) >= 0;
    }

    /** The extra (d) keys as TOML lines. */
    String deskPolicyLines() {
        return String.join(
                "\n",
                List.of(deskPolicyExtra.split(";")).stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList());
    }
}
