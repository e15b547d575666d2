package org.cyphon.agent.sensors;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Stands in for an input device the build machine does not have: a FIFO made by the real
 * {@code mkfifo} at {@code input/eventN} (a reader blocks in read() as on a device node) and the
 * device's sysfs description at {@code class/input/eventN/device}, copied from
 * {@code src/test/resources/sensors/sysfs-input/}.
 *
 * <p>The test holds the FIFO open read-write: the reader's open() then does not wait for a writer,
 * and bytes written are buffered by the kernel until the reader takes them.
 */
final class FifoInputDevice implements AutoCloseable {

    final Path node;
    private final RandomAccessFile writer;

    private FifoInputDevice(Path node, RandomAccessFile writer) {
        this.node = node;
        this.writer = writer;
    }

    /** Describes the device in sysfs first (as the kernel does), then makes its node. */
    static FifoInputDevice add(Path inputDir, Path sysClassInput, String nodeName, String description)
            throws IOException, InterruptedException {
        copyTree(resource("sensors/sysfs-input/" + description), sysClassInput.resolve(nodeName));
        Path node = inputDir.resolve(nodeName);
        Process mkfifo =
                new ProcessBuilder("mkfifo", node.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) throw new IOException("mkfifo " + node + " failed");
        return new FifoInputDevice(node, new RandomAccessFile(node.toFile(), "rw"));
    }

    void write(byte[] bytes) throws IOException {
        writer.write(bytes);
    }

    /** Unplugs it: the node disappears and the reader reaches the end of the stream. */
    @Override
    public void close() throws IOException {
        writer.close();
        Files.deleteIfExists(node);
    }

    private static Path resource(String name) {
        try {
            return Path.of(
                    FifoInputDevice.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + name, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }
}
