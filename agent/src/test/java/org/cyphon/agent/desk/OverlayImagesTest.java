package org.cyphon.agent.desk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlays made, replaced and swapped back with the real qemu-img, the golden image never touched. */
class OverlayImagesTest {
    @TempDir
    Path dir;

    DeskHost host;
    OverlayImages overlays;
    Path golden;
    Path overlay;

    @BeforeEach
    void makeAGoldenImage() throws Exception {
        host = TestGuest.host("cyphon-desk");
        overlays = new OverlayImages(host.qemuImg());
        golden = dir.resolve("golden.qcow2");
        overlay = dir.resolve("overlay.qcow2");
        run(host.qemuImg().toString(), "create", "-q", "-f", "qcow2", golden.toString(), "16M");
    }

    @Test
    void theFirstOverlayIsBackedByTheGoldenImageAndMadeOnce() throws Exception {
        overlays.createIfMissing(golden, overlay);
        assertBackedByGolden(overlay);
        Object made = inode(overlay);

        overlays.createIfMissing(golden, overlay);
        assertThat(inode(overlay)).isEqualTo(made);
    }

    @Test
    void reimageKeepsTheReplacedOverlayAsPrevAndNeverTouchesTheGoldenImage() throws Exception {
        String goldenSum = sha256(golden);
        overlays.createIfMissing(golden, overlay);
        Object first = inode(overlay);

        overlays.reimage(golden, overlay);
        Object second = inode(overlay);
        assertThat(second).isNotEqualTo(first);
        assertThat(inode(OverlayImages.previous(overlay))).isEqualTo(first);
        assertBackedByGolden(overlay);

        overlays.reimage(golden, overlay);
        assertThat(inode(OverlayImages.previous(overlay)))
                .as("only the last replaced overlay is kept")
                .isEqualTo(second);
        assertThat(sha256(golden)).isEqualTo(goldenSum);
        assertThat(siblings()).containsExactlyInAnyOrder("golden.qcow2", "overlay.qcow2", "overlay.qcow2.prev");
    }

    @Test
    void undoSwapsTheOverlayWithThePreviousOne() throws Exception {
        overlays.createIfMissing(golden, overlay);
        Object before = inode(overlay);
        overlays.reimage(golden, overlay);
        Object after = inode(overlay);

        overlays.undo(overlay);
        assertThat(inode(overlay)).isEqualTo(before);
        assertThat(inode(OverlayImages.previous(overlay))).isEqualTo(after);

        overlays.undo(overlay);
        assertThat(inode(overlay)).as("undoing twice changes nothing").isEqualTo(after);
        assertThat(siblings()).containsExactlyInAnyOrder("golden.qcow2", "overlay.qcow2", "overlay.qcow2.prev");
    }

    @Test
    void undoWithoutAPreviousOverlayIsRefused() throws Exception {
        overlays.createIfMissing(golden, overlay);
        assertThatThrownBy(() -> overlays.undo(overlay))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("no previous overlay")
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.REFUSED));
    }

    @Test
    void aMissingGoldenImageIsReportedWithQemuImgsReason() {
        assertThatThrownBy(() -> overlays.createIfMissing(dir.resolve("gone.qcow2"), overlay))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("could not make an overlay of " + dir.resolve("gone.qcow2"));
        assertThat(overlay).doesNotExist();
    }

    private void assertBackedByGolden(Path image) throws Exception {
        JsonNode info =
                new ObjectMapper().readTree(run(host.qemuImg().toString(), "info", "--output=json", image.toString()));
        assertThat(info.path("format").asText()).isEqualTo("qcow2");
        assertThat(info.path("backing-filename").asText()).isEqualTo(golden.toString());
        assertThat(info.path("backing-filename-format").asText()).isEqualTo("qcow2");
    }

    private List<String> siblings() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static Object inode(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
