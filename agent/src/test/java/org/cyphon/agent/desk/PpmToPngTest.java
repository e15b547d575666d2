package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PpmToPngTest {

    @Test
    void everyPixelKeepsItsColour() throws Exception {
        // 3x2: red green blue / white black grey, with a comment in the header as PPM allows.
        byte[] ppm = ppm(
                "P6\n# made by a test\n3 2\n255\n",
                255,
                0,
                0,
                0,
                255,
                0,
                0,
                0,
                255,
                255,
                255,
                255,
                0,
                0,
                0,
                128,
                128,
                128);

        BufferedImage png = ImageIO.read(new ByteArrayInputStream(PpmToPng.convert(ppm)));

        assertThat(png.getWidth()).isEqualTo(3);
        assertThat(png.getHeight()).isEqualTo(2);
        assertThat(png.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
        assertThat(png.getRGB(1, 0) & 0xffffff).isEqualTo(0x00ff00);
        assertThat(png.getRGB(2, 0) & 0xffffff).isEqualTo(0x0000ff);
        assertThat(png.getRGB(0, 1) & 0xffffff).isEqualTo(0xffffff);
        assertThat(png.getRGB(1, 1) & 0xffffff).isEqualTo(0x000000);
        assertThat(png.getRGB(2, 1) & 0xffffff).isEqualTo(0x808080);
    }

    @Test
    void notAPpmIsRefusedSayingWhy() {
        assertThatThrownBy(() -> PpmToPng.convert("P3\n1 1\n255\n0 0 0\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic 'P3'");
        assertThatThrownBy(() -> PpmToPng.convert(ppm("P6\n2 2\n255\n", 1, 2, 3)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("needs 12 bytes");
        assertThatThrownBy(() -> PpmToPng.convert(ppm("P6\n1 1\n65535\n", 0, 0, 0, 0, 0, 0)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("maxval 65535");
    }

    private static byte[] ppm(String header, int... pixels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        for (int p : pixels) out.write(p);
        return out.toByteArray();
    }
}
