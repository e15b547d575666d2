package org.cyphon.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cyphon.core.job.OutputPattern;
import org.cyphon.core.job.WorkDirNames;
import org.cyphon.core.machine.SharedPaths;

/**
 * The files {@code --input} names, on this machine, each with the name it gets in the job's
 * working directory: a file by its own name ({@code data/a.csv} becomes {@code a.csv}), a directory
 * with everything in it under its name ({@code data} becomes {@code data/...}), a directory written
 * with a trailing slash by its contents alone ({@code data/} puts {@code a.csv} at the top), as
 * HTCondor's {@code transfer_input_files} does. Everything is checked here, before anything is sent:
 * a missing file, a special file, two inputs with the same name, a bad output pattern or shared
 * path fails the submit, naming it.
 */
public final class LocalInputs {
    private LocalInputs() {}

    /** One file to send: where it is here, where it goes in the job, its size and whether it is a program. */
    public record Input(Path local, String name, long size, boolean executable) {}

    /**
     * @param args   the {@code --input} values (or a job file's, a submit file's), as written
     * @param base   what relative paths are relative to (the current directory, or the job file's)
     * @param option how to name them in messages ({@code --input}, {@code job.toml: files.input})
     */
    public static List<Input> resolve(List<String> args, Path base, String option) {
        Map<String, Input> byName = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg == null || arg.isBlank()) throw new InvalidInput(option + ": an empty path");
            boolean contents = arg.endsWith("/") && arg.length() > 1;
            Path local = base.resolve(arg).normalize();
            if (!Files.exists(local)) throw new InvalidInput(option + " " + arg + ": no such file or directory");
            if (Files.isDirectory(local)) {
                String prefix = contents ? "" : local.getFileName() + "/";
                for (Path f : filesUnder(local, option, arg)) {
                    String name = prefix + local.relativize(f).toString().replace('\\', '/');
                    add(byName, new Input(f, name, size(f, option), Files.isExecutable(f)), option, arg);
                }
            } else if (Files.isRegularFile(local)) {
                add(
                        byName,
                        new Input(
                                local, local.getFileName().toString(), size(local, option), Files.isExecutable(local)),
                        option,
                        arg);
            } else {
                throw new InvalidInput(option + " " + arg + ": not a regular file or directory");
            }
        }
        return List.copyOf(byName.values());
    }

    private static void add(Map<String, Input> byName, Input in, String option, String arg) {
        String problem = WorkDirNames.problem(in.name());
        if (problem != null) throw new InvalidInput(option + " " + arg + ": " + in.name() + " " + problem);
        Input before = byName.putIfAbsent(in.name(), in);
        if (before != null && !before.local().equals(in.local()))
            throw new InvalidInput(option + ": " + before.local() + " and " + in.local() + " would both be " + in.name()
                    + " in the job's working directory");
    }

    private static List<Path> filesUnder(Path dir, String option, String arg) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
                if (Files.isRegularFile(p)) out.add(p); // a link to a file sends the file
                else if (!Files.isDirectory(p))
                    throw new InvalidInput(option + " " + arg + ": " + p + " is not a regular file");
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInput(option + " " + arg + ": cannot read " + dir + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    private static long size(Path f, String option) {
        try {
            return Files.size(f);
        } catch (NoSuchFileException e) {
            throw new InvalidInput(option + " " + f + ": vanished while it was read");
        } catch (IOException e) {
            throw new InvalidInput(option + " " + f + ": cannot read: " + e.getMessage());
        }
    }

    /** @throws InvalidInput naming the first pattern that could name a file outside the working directory */
    public static List<String> checkOutputs(List<String> patterns, String option) {
        for (String p : patterns) {
            String problem = OutputPattern.problem(p);
            if (problem != null) throw new InvalidInput(option + " " + p + ": " + problem);
        }
        return List.copyOf(patterns);
    }

    /** @throws InvalidInput naming the first path that is not a plain absolute path */
    public static List<String> checkSharedPaths(List<String> paths, String option) {
        for (String p : paths) {
            String problem = SharedPaths.problem(p);
            if (problem != null) throw new InvalidInput(option + " " + p + ": " + problem);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(paths));
    }
}
