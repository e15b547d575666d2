package org.cyphon.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cyphon.sim.engine.SimProgress;

/**
 * The line {@code cyphon simulate} keeps rewriting on stderr while it runs, when stderr is a
 * terminal: what it is doing, how much of the owner trace's time the policies have simulated, for
 * how long, and about how long is left. Rewritten in place (a carriage return, short enough for an
 * 80-column terminal) at most every 250 ms, and wiped before the results print.
 */
final class SimulateProgress implements SimProgress, AutoCloseable {
    private static final long EVERY_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private final Map<String, Double> done = new LinkedHashMap<>();
    private String phase = "reading the traces";
    private long lastPrint;
    private boolean printedOnce;
    private int shown;

    /** @param enabled false: a progress that prints nothing (stderr is not a terminal, or --no-progress) */
    SimulateProgress(PrintWriter err, List<String> policies, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        for (String p : policies) done.put(p, 0.0);
    }

    /** Says what happens now (reading, simulating), at once. */
    synchronized void phase(String what) {
        phase = what;
        print(true);
    }

    @Override
    public synchronized void reached(String policy, double fraction) {
        done.put(policy, Math.max(0, Math.min(1, fraction)));
        print(false);
    }

    /** The line as it reads now, e.g. "simulating: 34% (1 of 6 policies done), 1m 12s, about 2m 20s left". */
    synchronized String line() {
        long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
        if (!phase.equals("simulating")) return phase + "... " + time(elapsed);
        double sum = 0;
        int finished = 0;
        for (double f : done.values()) {
            sum += f;
            if (f >= 1) finished++;
        }
        double all = done.isEmpty() ? 0 : sum / done.size();
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "simulating: %d%% (%d of %d policies done), %s",
                (int) (all * 100),
                finished,
                done.size(),
                time(elapsed)));
        if (all >= 0.03 && all < 1) {
            b.append(", about ")
                    .append(time(Math.round(elapsed * (1 - all) / all)))
                    .append(" left");
        }
        return b.toString();
    }

    private void print(boolean now) {
        if (!enabled) return;
        long t = System.nanoTime();
        if (!now && printedOnce && t - lastPrint < EVERY_NANOS) return;
        lastPrint = t;
        printedOnce = true;
        String line = line();
        err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
        err.flush();
        shown = line.length();
    }

    /** Wipes the line, so what prints next starts on a clean line. */
    @Override
    public synchronized void close() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    private static String time(long seconds) {
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m " + seconds % 60 + "s";
    }

    /**
     * Whether stderr is a terminal, as the {@code cyphon} launcher found ({@code [ -t 2 ]}) and says
     * in the property {@code cyphon.stderr.terminal}. Java itself cannot tell: {@code
     * System.console()} describes stdin and stdout, and since JDK 22 is not null even for a pipe. A
     * jar started some other way shows no progress unless asked with {@code --progress}.
     */
    static boolean stderrIsTerminal() {
        return Boolean.parseBoolean(System.getProperty("cyphon.stderr.terminal"));
    }
}
