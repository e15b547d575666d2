package org.cyphon.agent.desk;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and replaces a desk's overlay, the qcow2 that holds everything the guest wrote on top of
 * the golden image.
 *
 * <p>Atomic: at every instant {@code OVERLAY} is either the old overlay or the complete new one. A
 * new overlay is made beside it as {@code OVERLAY.new}, the old one is hard-linked to
 * {@code OVERLAY.prev}, and only then is the new one renamed over {@code OVERLAY}; a crash anywhere
 * leaves a bootable desk. {@code OVERLAY.prev} is kept until the next reimage, so a reimage can be
 * undone.
 */
final class OverlayImages {
    private static final Logger log = LoggerFactory.getLogger(OverlayImages.class);
    private final Path qemuImg;

    OverlayImages(Path qemuImg) {
        this.qemuImg = qemuImg;
    }

    /**
     * Refuses an undo before anything is done for it (a running guest is not stopped for nothing)
     * when the desk has no previous overlay. Shared by every backend.
     */
    static void requirePrevious(DeskSpec spec) throws DeskException {
        if (!Files.exists(previous(spec.overlay()))) {
            throw DeskException.refused("desk " + spec.name() + " has no previous overlay to go back to");
        }
    }

    /** {@link #reimage(Path, Path)} for a desk whose VM is already out of the way, logged. */
    void reimage(DeskSpec spec) throws DeskException {
        reimage(spec.goldenImage(), spec.overlay());
        log.info(
                "desk {}: reimaged from {} (previous overlay kept as {})",
                spec.name(),
                spec.goldenImage(),
                previous(spec.overlay()));
    }

    /** {@link #undo(Path)} for a desk whose VM is already out of the way, logged. */
    void undo(DeskSpec spec) throws DeskException {
        undo(spec.overlay());
        log.info("desk {}: reimage undone (the overlay before it is back)", spec.name());
    }

    static Path previous(Path overlay) {
        return overlay.resolveSibling(overlay.getFileName() + ".prev");
    }

    private static Path fresh(Path overlay) {
        return overlay.resolveSibling(overlay.getFileName() + ".new");
    }

    /** Makes {@code overlay} backed by {@code golden} if it does not exist yet (a desk's first start). */
    void createIfMissing(Path golden, Path overlay) throws DeskException {
        if (Files.exists(overlay)) return;
        Path tmp = fresh(overlay);
        makeOverlay(golden, tmp);
        move(tmp, overlay);
    }

    /**
     * Replaces {@code overlay} with an empty one backed by {@code golden}, keeping the replaced one as
     * {@code OVERLAY.prev} (replacing any older {@code .prev}). The caller makes sure no VM has the
     * overlay open.
     */
    void reimage(Path golden, Path overlay) throws DeskException {
        Path tmp = fresh(overlay);
        makeOverlay(golden, tmp);
        if (Files.exists(overlay)) {
            Path link = overlay.resolveSibling(overlay.getFileName() + ".prev.new");
            try {
                Files.deleteIfExists(link);
                Files.createLink(link, overlay);
            } catch (IOException e) {
                throw DeskException.failed(
                        "cannot keep the current overlay as " + previous(overlay) + ": " + e.getMessage(), e);
            }
            move(link, previous(overlay));
        }
        move(tmp, overlay);
    }

    /**
     * Swaps {@code overlay} and {@code OVERLAY.prev}: the overlay before the last reimage comes back,
     * and the one it replaces becomes {@code .prev} (so undoing twice changes nothing).
     *
     * @throws DeskException REFUSED when there is no previous overlay
     */
    void undo(Path overlay) throws DeskException {
        Path prev = previous(overlay);
        if (!Files.exists(prev))
            throw DeskException.refused("no previous overlay to go back to (" + prev + " does not exist)");
        Path link = overlay.resolveSibling(overlay.getFileName() + ".undo");
        try {
            Files.deleteIfExists(link);
            if (Files.exists(overlay)) Files.createLink(link, overlay);
        } catch (IOException e) {
            throw DeskException.failed("cannot keep the current overlay while undoing: " + e.getMessage(), e);
        }
        move(prev, overlay);
        if (Files.exists(link)) move(link, prev);
    }

    private void makeOverlay(Path golden, Path target) throws DeskException {
        try {
            Files.deleteIfExists(target);
            Process p = new ProcessBuilder(List.of(
                            qemuImg.toString(),
                            "create",
                            "-q",
                            "-f",
                            "qcow2",
                            "-b",
                            golden.toAbsolutePath().toString(),
                            "-F",
                            "qcow2",
                            target.toString()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw DeskException.failed(
                        "qemu-img could not make an overlay of " + golden + " at " + target + ": " + output);
            }
            try (FileChannel c = FileChannel.open(target, StandardOpenOption.WRITE)) {
                c.force(true);
            }
        } catch (IOException e) {
            throw DeskException.failed("cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeskException.failed("interrupted while making an overlay", e);
        }
    }

    /** rename(2) over {@code to}, then fsync of the directory so the rename survives a power cut. */
    private static void move(Path from, Path to) throws DeskException {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw DeskException.failed("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
            }
            try (FileChannel dir = FileChannel.open(to.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw DeskException.failed("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
