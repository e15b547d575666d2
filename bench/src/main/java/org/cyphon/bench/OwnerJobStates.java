package org.cyphon.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent did with each job, as its log says it (started, lingering beside the owner,
 * frozen, thawed, ...), with the time of each change on the benchmark's clock: so the report can
 * say which state the jobs were in while the owner's workload ran. The log is followed as it grows;
 * each line's own timestamp ({@code HH:mm:ss.SSS}) places it, since the file is read in batches.
 */
final class OwnerJobStates implements AutoCloseable {
    /** One change: at {@code nanoTime}, job {@code job} entered {@code state}, for {@code why}. */
    record Change(long nanoTime, long job, String state, String why) {}

    private static final Pattern STARTED = Pattern.compile("job (\\d+) attempt \\d+ on \\S+: started pid");
    private static final Pattern ENDED = Pattern.compile("job (\\d+) attempt \\d+ on \\S+: (\\w+) \\(exit");
    private static final Pattern LINGERING =
            Pattern.compile("job (\\d+) attempt \\d+: lingering beside the owner \\((.*)\\)$");
    private static final Pattern FROZEN = Pattern.compile("job (\\d+) attempt \\d+: frozen \\((.*)\\)$");
    private static final Pattern THAWED = Pattern.compile("job (\\d+) attempt \\d+: thawed, (\\w+) \\((.*)\\)$");
    private static final Pattern LEFT =
            Pattern.compile("job (\\d+) attempt \\d+: running, the owner has left \\((.*)\\)$");
    private static final Pattern VACATE = Pattern.compile("job (\\d+) attempt \\d+: checkpoint and vacate \\((.*)\\)$");

    private final Path log;
    private final List<Change> changes = new ArrayList<>();
    private final Thread reader;
    private volatile boolean stop;

    private OwnerJobStates(Path log) {
        this.log = log;
        this.reader = Thread.ofPlatform().daemon().name("owner-job-states").start(this::follow);
    }

    static OwnerJobStates follow(Path agentLog) {
        return new OwnerJobStates(agentLog);
    }

    private void follow() {
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        while (!stop) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                if (f.length() > offset) {
                    byte[] bytes = new byte[(int) (f.length() - offset)];
                    f.seek(offset);
                    f.readFully(bytes);
                    offset += bytes.length;
                    partial.append(new String(bytes, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        parse(partial.substring(0, nl));
                        partial.delete(0, nl + 1);
                    }
                }
            } catch (IOException e) {
                // not there yet, or rotated: try again
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The pattern's first match in the line, or null. */
    private static Matcher found(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? m : null;
    }

    private void parse(String line) {
        Matcher m;
        String state, why = "";
        if ((m = found(STARTED, line)) != null) state = "running";
        else if ((m = found(LINGERING, line)) != null) {
            state = "lingering";
            why = m.group(2);
        } else if ((m = found(FROZEN, line)) != null) {
            state = "frozen";
            why = m.group(2);
        } else if ((m = found(THAWED, line)) != null) {
            state = m.group(2);
            why = "thawed: " + m.group(3);
        } else if ((m = found(LEFT, line)) != null) {
            state = "running";
            why = m.group(2);
        } else if ((m = found(VACATE, line)) != null) {
            state = "vacating";
            why = m.group(2);
        } else if ((m = found(ENDED, line)) != null) {
            state = "ended";
            why = m.group(2);
        } else return;
        long job = Long.parseLong(m.group(1));
        synchronized (changes) {
            changes.add(new Change(when(line), job, state, why));
        }
    }

    /** The line's own timestamp on the benchmark's nanoTime clock; the time it was read if it has none. */
    private static long when(String line) {
        long now = System.nanoTime();
        try {
            LocalTime at = LocalTime.parse(line.substring(0, 12));
            long agoMillis = Math.floorMod(
                    Duration.between(at, LocalTime.now(ZoneId.systemDefault())).toMillis(), 86_400_000L);
            return now - agoMillis * 1_000_000L;
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            return now;
        }
    }

    List<Change> changes() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }

    /** The job's latest state ("running", "lingering", "frozen", "vacating", "ended"), or "unknown". */
    String stateOf(long job) {
        String s = "unknown";
        for (Change c : changes()) if (c.job() == job) s = c.state();
        return s;
    }

    /**
     * Job-seconds each state held between two instants, summed over {@code jobs}: with 2 jobs over
     * 10 s, 20 s in all, e.g. lingering 12.0 + frozen 8.0.
     */
    Map<String, Double> secondsIn(Collection<Long> jobs, long fromNano, long toNano) {
        Map<String, Double> out = new LinkedHashMap<>();
        List<Change> all = changes();
        for (long job : jobs) {
            String state = "unknown";
            long since = fromNano;
            for (Change c : all) {
                if (c.job() != job) continue;
                if (c.nanoTime() <= fromNano) {
                    state = c.state();
                    continue;
                }
                if (c.nanoTime() >= toNano) break;
                out.merge(state, (c.nanoTime() - since) / 1e9, Double::sum);
                state = c.state();
                since = c.nanoTime();
            }
            out.merge(state, (toNano - since) / 1e9, Double::sum);
        }
        return out;
    }

    /** The spans of nanoTime inside the window during which {@code job} was in {@code state}, as {from, to} pairs. */
    List<long[]> spans(long job, String state, long fromNano, long toNano) {
        List<long[]> out = new ArrayList<>();
        String current = "unknown";
        long since = fromNano;
        for (Change c : changes()) {
            if (c.job() != job) continue;
            if (c.nanoTime() <= fromNano) {
                current = c.state();
                continue;
            }
            if (c.nanoTime() >= toNano) break;
            if (current.equals(state)) out.add(new long[] {since, c.nanoTime()});
            current = c.state();
            since = c.nanoTime();
        }
        if (current.equals(state)) out.add(new long[] {since, toNano});
        return out;
    }

    /** Changes of these jobs inside the window, in order. */
    List<Change> changesIn(Collection<Long> jobs, long fromNano, long toNano) {
        return changes().stream()
                .filter(c -> jobs.contains(c.job()) && c.nanoTime() > fromNano && c.nanoTime() < toNano)
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        reader.interrupt();
        reader.join(5_000);
    }
}
