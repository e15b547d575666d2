package org.cyphon.agent.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cyphon.agent.sandbox.JobUser;

/**
 * Starts {@link ArchiveAsJob} as a job's own account: {@code setpriv} to the account (its uid, gid
 * and groups, no new privileges), then this JVM's own {@code java} with a class path of copies of
 * {@link ArchiveAsJob#CLASSES} in a directory every account can read. The agent's own class path
 * may not be readable by a job's account (a build's {@code ~/.m2} under {@code /root}), and it
 * need not be: the job-side code uses the JDK only.
 *
 * <p>The process gets an empty environment but {@code PATH} and {@code LANG=C.UTF-8} (so names
 * that are not ASCII survive), runs in {@code /}, and writes nothing of its own anywhere
 * ({@code -XX:-UsePerfData}: no {@code /tmp/hsperfdata_ACCOUNT} left behind on the desk).
 */
public final class JobAccountArchiver {
    private static final long EXIT_WAIT_SECONDS = 30;
    private static final int MAX_REASON = 4096;

    private final Path classes;
    private final Path java;

    private JobAccountArchiver(Path classes, Path java) {
        this.classes = classes;
        this.java = java;
    }

    /**
     * Copies the job-side classes into {@code dir} (created if missing; it and its files readable
     * by everyone, writable by the agent alone), replacing what an older agent left there.
     */
    public static JobAccountArchiver prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        readable(dir, "rwxr-xr-x");
        for (Class<?> top : ArchiveAsJob.CLASSES) {
            for (Class<?> c : top.getNestMembers()) {
                String resource = c.getName().replace('.', '/') + ".class";
                Path target = dir.resolve(resource);
                for (Path d = target.getParent(); !d.equals(dir); d = d.getParent()) {
                    Files.createDirectories(d);
                    readable(d, "rwxr-xr-x");
                }
                Path part = target.resolveSibling(target.getFileName() + ".part");
                try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) throw new IOException("class file " + resource + " not found");
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
                readable(part, "rw-r--r--");
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return new JobAccountArchiver(dir, Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static void readable(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    /** One started job-side process, and what it says on standard error. */
    static final class Run {
        private final Process process;
        private final CompletableFuture<String> reason;
        private final String what;

        private Run(Process process, String what) {
            this.process = process;
            this.what = what;
            InputStream err = process.getErrorStream();
            this.reason = CompletableFuture.supplyAsync(
                    () -> readReason(err),
                    task -> Thread.ofVirtual().name("job-side-stderr").start(task));
        }

        Process process() {
            return process;
        }

        /** Kills it (the agent gave up on what it sent), and waits for it to be gone. */
        void stop() {
            process.destroyForcibly();
            awaitExit();
        }

        /**
         * After the stream broke: waits for the process and, when it failed with a reason, throws
         * that instead of {@code cut} (an unsafe entry as {@link UnsafeArchiveException}).
         */
        void failure(IOException cut) throws IOException {
            Integer status = awaitExit();
            if (status == null || status == 0) return;
            String why = reason();
            if (why.isEmpty()) return;
            IOException e = status == ArchiveAsJob.UNSAFE
                    ? new UnsafeArchiveException(why)
                    : new IOException("cannot " + what + ": " + why);
            e.addSuppressed(cut);
            throw e;
        }

        /** The stream ended well: the process must end well too. */
        void finish() throws IOException {
            Integer status = awaitExit();
            if (status == null) throw new IOException("cannot " + what + ": the job-side process did not end");
            if (status == 0) return;
            String why = reason();
            String text = why.isEmpty() ? "the job-side process ended with status " + status : why;
            if (status == ArchiveAsJob.UNSAFE) throw new UnsafeArchiveException(text);
            throw new IOException("cannot " + what + ": " + text);
        }

        private Integer awaitExit() {
            try {
                if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
                    return null;
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return null;
            }
        }

        private String reason() {
            try {
                return reason.get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS).trim();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            } catch (ExecutionException | TimeoutException e) {
                return "";
            }
        }
    }

    /** @param verb {@code pack} or {@code unpack} */
    Run start(JobUser user, String verb, Path dir) throws IOException {
        List<String> argv = new ArrayList<>(user.switchCommand());
        argv.addAll(List.of(
                java.toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-Xmx64m",
                "-cp",
                classes.toString(),
                ArchiveAsJob.class.getName(),
                verb,
                dir.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(Path.of("/").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("LANG", "C.UTF-8");
        return new Run(pb.start(), verb + " " + dir + " as " + user.name());
    }

    /** At most {@link #MAX_REASON} bytes of what the process wrote to standard error. */
    private static String readReason(InputStream err) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try (err) {
            for (int n = err.read(buf); n >= 0; n = err.read(buf)) {
                if (out.size() < MAX_REASON) out.write(buf, 0, Math.min(n, MAX_REASON - out.size()));
            }
        } catch (IOException e) {
            // the process is gone: what it said so far is its reason
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
