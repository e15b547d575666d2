package org.cyphon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon history export}: what the coordinator saw of each desk's owner, in the format
 * {@code cyphon simulate --owners history:FILE} replays (docs/api.md, "Track record"), so an office
 * can measure a policy on its own past. The file is written whole or not at all.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write the desks' presence history for `cyphon simulate --owners history:FILE` (admin).",
            "  cyphon history export --since 2026-11-01 --out office.history"
        })
public final class HistoryExportCommand extends ApiCommand {
    @Option(
            names = "--since",
            paramLabel = "DATE",
            description = "From this date (UTC), instant, or duration back (30d); default: all that is kept.")
    String since;

    @Option(names = "--machine", paramLabel = "M", description = "Only this machine.")
    String machine;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of stdout.")
    Path out;

    @Override
    protected void checkInput() {
        if (out != null && Files.isDirectory(out)) throw new InvalidInput("--out: " + out + " is a directory");
    }

    @Override
    protected int run(CyphonClient client) {
        String text = client.history(since, machine);
        if (out == null) {
            print(text);
            return 0;
        }
        Path target = out.toAbsolutePath();
        try {
            // Written beside the target, then moved over it: a failure leaves no half-written file.
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new InvalidInput("--out: cannot write " + out + ": " + e.getMessage());
        }
        long lines = text.lines().filter(l -> !l.startsWith("#")).count();
        note("wrote " + lines + " interval(s) to " + out);
        return 0;
    }
}
