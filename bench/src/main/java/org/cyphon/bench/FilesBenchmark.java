package org.cyphon.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.bench.BenchOptions.Option;

/**
 * {@code bench/run files}: a big file (1 GiB by default) through Cyphon's file transfer, each step
 * paired with a plain {@code cp} of the same file in the same round (this machine's disk and page
 * cache are what every step shares, and they drift between runs):
 * <ol>
 *   <li><b>upload</b>: {@code cyphon submit --input FILE} (hash, ask the coordinator, send; the
 *       coordinator hashes it again and flushes it to disk), wall time of the CLI process;</li>
 *   <li><b>desk fetch</b>: the agent fetches it into its cache, checks it and copies it into the
 *       job's working directory (the agent's own log line says how long);</li>
 *   <li><b>output</b>: the job writes a file of the same size (the input and one more byte), which
 *       the agent hashes and sends when the job ends (the agent's log line);</li>
 *   <li><b>fetch</b>: {@code cyphon fetch ID} downloads it, checks it, renames it into place.</li>
 * </ol>
 * Against: {@code cp FILE COPY && sync COPY} (a copy flushed to disk, as the coordinator flushes a
 * stored content) in the same round. Each round uses a file of new content (seeded by the round),
 * so nothing is deduplicated away.
 */
public final class FilesBenchmark {
    private static final List<Option> OPTIONS = List.of(
            new Option("size", "1G", "size of the file (K, M, G)"),
            new Option("rounds", "1", "rounds, each with its own file; the last line gives the medians"),
            new Option("timeout", "15m", "give up on a round after this long"),
            new Option("keep", "false", "keep the scratch directory after a successful run"));

    private static final Pattern PLACED =
            Pattern.compile("job (\\d+) attempt 1: \\d+ input file\\(s\\) in place \\(\\S+ copied in (\\d+) ms\\)");
    private static final Pattern SHIPPED =
            Pattern.compile("job (\\d+) attempt 1: outputs at exit recorded \\(1 files, \\S+ in (\\d+) ms\\)");

    /** One round's times, in nanoseconds. */
    record Round(long cp, long upload, long deskFetch, long output, long fetch, CpuAccount.Usage cpu) {}

    private FilesBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parseOrExit(
                "files",
                "A big file through submit --input, the desk's fetch, the job's output and cyphon fetch, each paired with cp in the same round.",
                OPTIONS,
                args);
        long size = parseSize(o.string("size"));
        int rounds = o.positiveInt("rounds");
        try (ScratchDir dir = ScratchDir.create("files", o.flag("keep"))) {
            try {
                run(dir, size, rounds, o.duration("timeout"));
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("files", e, dir.path());
                System.exit(1);
            }
        }
        System.exit(0);
    }

    private static void run(ScratchDir dir, long size, int rounds, Duration timeout) throws Exception {
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        String loadBefore = MachineLoad.now();
        try (CoordinatorProcess c = CoordinatorProcess.start(
                        launcher, dir.resolve("coordinator"), dir.resolve("coordinator.log"), List.of());
                AgentProcess agent = AgentProcess.start(
                        launcher, c, new AgentProcess.Settings("bench", 2.0, "4G", null, "dedicated"), dir.path())) {
            Map<String, String> env = Map.of(
                    "CYPHON_URL",
                    c.url(),
                    "CYPHON_TOKEN",
                    c.adminToken(),
                    "XDG_CONFIG_HOME",
                    dir.resolve("xdg").toString());
            List<Round> done = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Path input = dir.resolve("input-" + r + ".bin");
                write(input, size, r);
                Map<String, Long> pids = new LinkedHashMap<>();
                pids.put("agent", agent.pid());
                pids.put("coordinator", c.pid().getAsLong());
                pids.put("benchmark and its CLIs", ProcessHandle.current().pid());
                CpuAccount cpu = CpuAccount.start(pids);

                long cp = time(
                        List.of(
                                "sh",
                                "-c",
                                "cp \"$0\" \"$1\" && sync \"$1\"",
                                input.toString(),
                                dir.resolve("cp-" + r + ".bin").toString()),
                        null,
                        timeout);
                Files.delete(dir.resolve("cp-" + r + ".bin"));
                Path out = dir.resolve("submit-" + r + ".out");
                long upload = time(
                        launcher.command(
                                "submit",
                                List.of(),
                                "--input",
                                input.toString(),
                                "--output",
                                "out.bin",
                                "--",
                                "sh",
                                "-c",
                                "cp input-" + r + ".bin out.bin && printf x >> out.bin"),
                        env,
                        timeout,
                        out);
                String id = Files.readString(out)
                        .lines()
                        .filter(l -> l.matches("\\d+"))
                        .findFirst()
                        .orElseThrow(() -> new IOException("submit printed no job id: " + readQuietly(out)));
                long[] placedShipped = awaitJobLog(agent.log(), id, timeout);
                Path fetched = dir.resolve("fetched-" + r);
                long fetch = time(launcher.command("fetch", List.of(), id, "--to", fetched.toString()), env, timeout);
                if (Files.size(fetched.resolve("out.bin")) != size + 1)
                    throw new IOException("fetched out.bin is " + Files.size(fetched.resolve("out.bin"))
                            + " bytes, not " + (size + 1));
                CpuAccount.Usage used = cpu.stop();
                done.add(
                        new Round(cp, upload, placedShipped[0] * 1_000_000, placedShipped[1] * 1_000_000, fetch, used));
                print(r, size, done.get(done.size() - 1));
                Files.delete(input);
                deleteTree(fetched);
            }
            String loadAfter = MachineLoad.now();
            System.out.println(
                    "load average before " + loadBefore + ", after " + loadAfter + "; sandbox " + agent.sandbox());
            System.out.println(summary(size, done));
        }
    }

    private static void print(int round, long size, Round r) {
        System.out.printf("round %d (%s):%n", round, Figures.megabytes(size >> 10));
        row("cp + sync (the pair)", size, r.cp());
        row("upload (submit --input)", size, r.upload());
        row("desk fetch (to the job)", size, r.deskFetch());
        row("output (job to coordinator)", size + 1, r.output());
        row("fetch (cyphon fetch)", size + 1, r.fetch());
        for (var e : r.cpu().cores().entrySet())
            System.out.printf("  cpu %-34s %s%n", e.getKey(), CpuAccount.cores(e.getValue()));
        System.out.printf(
                "  cpu %-34s %s%n", "other processes", CpuAccount.cores(r.cpu().others()));
    }

    private static void row(String what, long bytes, long nanos) {
        System.out.printf(
                "  %-38s %8s s  %8s MiB/s%n",
                what, Figures.decimal(nanos / 1e9, 2), Figures.decimal(mibPerSecond(bytes, nanos), 0));
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return (bytes / 1048576.0) / (nanos / 1e9);
    }

    private static String summary(long size, List<Round> rounds) {
        double cp = median(
                rounds.stream().mapToDouble(r -> mibPerSecond(size, r.cp())).toArray());
        double up = median(
                rounds.stream().mapToDouble(r -> mibPerSecond(size, r.upload())).toArray());
        double desk = median(rounds.stream()
                .mapToDouble(r -> mibPerSecond(size, r.deskFetch()))
                .toArray());
        double out = median(rounds.stream()
                .mapToDouble(r -> mibPerSecond(size + 1, r.output()))
                .toArray());
        double fetch = median(rounds.stream()
                .mapToDouble(r -> mibPerSecond(size + 1, r.fetch()))
                .toArray());
        double others =
                median(rounds.stream().mapToDouble(r -> r.cpu().others()).toArray());
        return String.format(
                java.util.Locale.ROOT,
                "files: %s (median of %d): upload %.0f MiB/s (%.2fx cp), desk fetch %.0f MiB/s (%.2fx), output %.0f MiB/s (%.2fx), fetch %.0f MiB/s (%.2fx); cp+sync %.0f MiB/s in the same rounds; other processes %.2f cores",
                Figures.megabytes(size >> 10),
                rounds.size(),
                up,
                up / cp,
                desk,
                desk / cp,
                out,
                out / cp,
                fetch,
                fetch / cp,
                cp,
                others);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Waits for the agent's two log lines about the job: its input placed, its output sent; their ms. */
    private static long[] awaitJobLog(Path log, String id, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        long placed = -1, shipped = -1;
        while (System.nanoTime() < end) {
            for (String line : Files.readAllLines(log)) {
                Matcher p = PLACED.matcher(line);
                if (p.find() && p.group(1).equals(id)) placed = Long.parseLong(p.group(2));
                Matcher s = SHIPPED.matcher(line);
                if (s.find() && s.group(1).equals(id)) shipped = Long.parseLong(s.group(2));
            }
            if (placed >= 0 && shipped >= 0) return new long[] {placed, shipped};
            Thread.sleep(200); // polling a log file written by another process
        }
        throw new IOException(
                "job " + id + ": the agent did not log both its input placed and its output sent within " + timeout);
    }

    private static long time(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        return time(command, env, timeout, null);
    }

    private static long time(List<String> command, Map<String, String> env, Duration timeout, Path stdout)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(stdout == null);
        if (env != null) pb.environment().putAll(env);
        if (stdout != null) pb.redirectOutput(stdout.toFile());
        else pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (stdout != null) pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": not done within " + timeout);
        }
        long took = System.nanoTime() - t0;
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + ": exit " + p.exitValue());
        return took;
    }

    /** {@code bytes} of pseudo-random data, a new content for each seed. */
    private static void write(Path p, long bytes, int seed) throws IOException {
        byte[] block = new byte[1 << 20];
        Random r = new Random(seed);
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long done = 0; done < bytes; done += block.length) {
                r.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - done));
            }
        }
    }

    private static long parseSize(String s) {
        Matcher m = Pattern.compile("(\\d+)([KMG]?)").matcher(s.trim().toUpperCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            System.err.println("bench/run files: option '--size' must be a size such as 256M or 1G, got '" + s + "'");
            System.exit(2);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> n;
        };
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var all = Files.walk(p)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
