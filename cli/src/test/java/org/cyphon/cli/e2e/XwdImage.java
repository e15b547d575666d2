package org.cyphon.cli.e2e;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the XWD image Xvfb keeps of its screen ({@code -fbdir}): a 100-byte big-endian header, the
 * window name, a colour map, then the pixels (24/32-bit TrueColor here, in the header's byte order).
 */
final class XwdImage {
    private XwdImage() {}

    static BufferedImage read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.BIG_ENDIAN);
        int headerSize = b.getInt(0);
        int width = b.getInt(16);
        int height = b.getInt(20);
        int byteOrder = b.getInt(28);
        int bitsPerPixel = b.getInt(44);
        int bytesPerLine = b.getInt(48);
        int colours = b.getInt(76);
        if (bitsPerPixel != 32) throw new IOException(file + ": " + bitsPerPixel + " bits per pixel, expected 32");
        int at = headerSize + colours * 12;
        b.order(byteOrder == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, b.getInt(at + y * bytesPerLine + x * 4) & 0xffffff);
        }
        return image;
    }
}
