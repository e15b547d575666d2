package org.cyphon.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cyphon.agent.desk.DeskConfig;
import org.cyphon.cli.session.DeskSession;
import org.cyphon.cli.session.X11StatusScreen;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon desk-session}: the owner's desk VM full-screen on this X display, for the whole
 * session (the display manager's "Cyphon desk" session runs it; docs/desk-session.md). No token:
 * the display directory the agent made for this user is the key.
 */
@Command(
        name = "desk-session",
        mixinStandardHelpOptions = true,
        description = {
            "Show your desk VM full-screen on this display until the session ends (the 'Cyphon desk' login session runs it).",
            "A paused, saved or stopped VM is brought back at once, and the screen says what is happening meanwhile."
        })
public final class DeskSessionCommand implements Callable<Integer> {
    @Option(
            names = "--display-dir",
            paramLabel = "DIR",
            description = "the desk's display directory ([desk] display_dir; default "
                    + DeskConfig.DEFAULT_DISPLAY_PARENT + "/$USER)")
    Path displayDir;

    @Option(
            names = "--viewer",
            paramLabel = "PROGRAM",
            description = "the SPICE viewer (default remote-viewer, Debian's virt-viewer package)")
    String viewer = "remote-viewer";

    @Override
    public Integer call() throws Exception {
        Path dir = displayDir != null
                ? displayDir
                : Path.of(DeskConfig.DEFAULT_DISPLAY_PARENT, System.getProperty("user.name"));
        if (!Files.isDirectory(dir)) {
            return ApiCommand.fail(
                    dir + " does not exist or is not yours: this desk's VM has no display for "
                            + System.getProperty("user.name")
                            + " ([desk] display = \"spice\" and session_user in the agent's agent.toml)",
                    1,
                    null);
        }
        String display = System.getenv("DISPLAY");
        String authority = System.getenv("XAUTHORITY");
        Path auth = authority != null ? Path.of(authority) : Path.of(System.getProperty("user.home"), ".Xauthority");
        DeskSession session = new DeskSession(
                dir,
                List.of(viewer, "--kiosk", "--kiosk-quit", "on-disconnect", "-"),
                () -> X11StatusScreen.open(display, auth),
                System.err);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            session.stop();
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        session.run();
        return 0;
    }
}
