package org.cyphon.agent.desk;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Turns QEMU's screendump (binary PPM, "P6", 8 bits per channel) into PNG. QEMU writes PPM on every
 * version; its own PNG output is newer and optional at build time, so the agent converts.
 */
final class PpmToPng {
    private PpmToPng() {}

    /**
     * @throws IOException when {@code ppm} is not an 8-bit binary PPM, saying what is wrong
     */
    static byte[] convert(byte[] ppm) throws IOException {
        Header h = Header.parse(ppm);
        long needed = (long) h.width * h.height * 3;
        if (ppm.length - h.dataOffset < needed) {
            throw new IOException("PPM " + h.width + "x" + h.height + " needs " + needed + " bytes of pixels, has "
                    + (ppm.length - h.dataOffset));
        }
        BufferedImage image = new BufferedImage(h.width, h.height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[h.width];
        int at = h.dataOffset;
        for (int y = 0; y < h.height; y++) {
            for (int x = 0; x < h.width; x++, at += 3) {
                row[x] = (ppm[at] & 0xff) << 16 | (ppm[at + 1] & 0xff) << 8 | (ppm[at + 2] & 0xff);
            }
            image.setRGB(0, y, h.width, 1, row, 0, h.width);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) throw new IOException("this JDK has no PNG writer");
        return png.toByteArray();
    }

    /** "P6", width, height, maxval, each separated by whitespace (comments allowed), then one whitespace byte. */
    private record Header(int width, int height, int dataOffset) {
        static Header parse(byte[] ppm) throws IOException {
            int[] pos = {0};
            String magic = token(ppm, pos);
            if (!magic.equals("P6")) throw new IOException("not a binary PPM (magic '" + magic + "', expected P6)");
            int width = number(ppm, pos, "width");
            int height = number(ppm, pos, "height");
            int maxval = number(ppm, pos, "maxval");
            if (maxval != 255) throw new IOException("PPM maxval " + maxval + " is not supported (only 255)");
            if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
                throw new IOException("PPM size " + width + "x" + height + " is not plausible");
            }
            return new Header(width, height, pos[0] + 1);
        }

        private static int number(byte[] ppm, int[] pos, String what) throws IOException {
            String t = token(ppm, pos);
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IOException("PPM " + what + " '" + t + "' is not a number");
            }
        }

        /** The next whitespace-separated token, skipping '#' comments; leaves pos on the byte after it. */
        private static String token(byte[] ppm, int[] pos) throws IOException {
            int i = pos[0];
            while (i < ppm.length) {
                if (ppm[i] == '#') {
                    while (i < ppm.length && ppm[i] != '\n') i++;
                } else if (Character.isWhitespace(ppm[i])) {
                    i++;
                } else {
                    break;
                }
            }
            int start = i;
            while (i < ppm.length && !Character.isWhitespace(ppm[i])) i++;
            if (start == i) throw new IOException("PPM header ends early");
            pos[0] = i;
            return new String(ppm, start, i - start, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
