package org.cyphon.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cyphon desk MACHINE screenshot [-o FILE.png]}: the guest's screen, from the hypervisor. */
@Command(
        name = "screenshot",
        mixinStandardHelpOptions = true,
        description = "Save the guest's screen as PNG, taken by the hypervisor (works when the guest is hung).")
public final class DeskScreenshotCommand extends ApiCommand {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @ParentCommand
    DeskCommand desk;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE.png",
            description = "Where to write it (default: MACHINE-desk-DATE-TIME.png here).")
    Path output;

    @Override
    protected int run(CyphonClient client) {
        byte[] png = new DeskClient(client.endpoint()).screenshot(desk.machine());
        Path file = output != null
                ? output
                : Path.of(desk.machine() + "-desk-" + STAMP.format(LocalDateTime.now(ZoneId.systemDefault())) + ".png");
        try {
            Files.write(file, png);
        } catch (IOException e) {
            throw new InvalidInput("cannot write the screenshot to " + file + ": " + e.getMessage());
        }
        print("wrote " + file + " (" + dimensions(png) + ", " + Display.size(png.length) + ")\n");
        return 0;
    }

    /** {@code 1024x768}, from the PNG's header (IHDR); {@code ?} if it is not a PNG. */
    static String dimensions(byte[] png) {
        if (png.length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') return "?";
        ByteBuffer b = ByteBuffer.wrap(png, 16, 8);
        return b.getInt() + "x" + b.getInt();
    }
}
