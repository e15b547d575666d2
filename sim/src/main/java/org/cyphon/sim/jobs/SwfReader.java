package org.cyphon.sim.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.sim.InputError;
import org.cyphon.sim.owners.TextLines;

/**
 * Reads a Standard Workload Format file of the Parallel Workloads Archive (plain or {@code .gz}):
 * one job a line, 18 whitespace-separated numeric fields, {@code ;} comment lines, -1 for unknown.
 * Used fields: 1 job id, 2 submit time, 4 run time, 5 allocated processors (8, requested
 * processors, when 5 is unknown), 9 requested time (the submitter's estimate), 12 user, 14
 * executable.
 *
 * <p>Rescaling to a desktop pool: submit times are shifted so the first kept job arrives at 0,
 * then multiplied by {@code timeScale} (run times are not scaled: a job's work is what it is);
 * processors are capped to a desk's cores and the job keeps its run time (its CPU demand becomes
 * capped processors x run time). Jobs with a run time &lt;= 0 or unknown processors are skipped
 * and counted; a line that is not 18 numbers is an error naming the file and line.
 */
public final class SwfReader {
    private SwfReader() {}

    /**
     * @param coresCap processors per job are capped to this
     * @param maxJobs  read at most this many jobs (0: all)
     */
    public static JobTrace read(Path file, double timeScale, int coresCap, long maxJobs) {
        if (!(timeScale > 0)) throw new InputError("--time-scale must be positive, not " + timeScale);
        String name = file.toString();
        List<TraceJob> jobs = new ArrayList<>();
        long skipped = 0;
        long capped = 0;
        long first = Long.MIN_VALUE;
        long lineNo = 0;
        try (BufferedReader r = TextLines.open(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith(";")) continue;
                String[] f = t.split("\\s+");
                if (f.length < 18)
                    throw InputError.at(name, lineNo, "an SWF job line has 18 fields, this one " + f.length);
                double[] v = new double[18];
                for (int i = 0; i < 18; i++) {
                    try {
                        v[i] = Double.parseDouble(f[i]);
                    } catch (NumberFormatException e) {
                        throw InputError.at(name, lineNo, "field " + (i + 1) + " '" + f[i] + "' is not a number");
                    }
                }
                double runtime = v[3];
                int procs = (int) (v[4] > 0 ? v[4] : v[7]);
                if (runtime <= 0 || procs <= 0 || v[1] < 0) {
                    skipped++;
                    continue;
                }
                if (maxJobs > 0 && jobs.size() >= maxJobs) break;
                long submitS = (long) v[1];
                if (first == Long.MIN_VALUE) first = submitS;
                if (submitS < first)
                    throw InputError.at(
                            name,
                            lineNo,
                            "submit time " + submitS + " is before the previous jobs' (an SWF log is in submit order)");
                int cpus = Math.min(procs, coresCap);
                if (cpus < procs) capped++;
                long submitMs = Math.round((submitS - first) * 1000.0 * timeScale);
                String user = v[11] >= 0 ? "u" + (long) v[11] : "unknown";
                String exe = v[13] >= 0 ? "x" + (long) v[13] : null;
                jobs.add(new TraceJob((long) v[0], submitMs, runtime, cpus, v[8] > 0 ? v[8] : -1, user, exe));
            }
        } catch (IOException e) {
            throw TextLines.readFailed(file, e);
        }
        if (jobs.isEmpty())
            throw new InputError(
                    name + ": no usable jobs (every line was a comment, or had no run time or processors)");
        return new JobTrace(
                jobs, "swf:" + name + (timeScale != 1 ? " (time scale " + timeScale + ")" : ""), skipped, capped);
    }
}
