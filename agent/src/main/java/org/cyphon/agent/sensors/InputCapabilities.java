package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * What an input device can report, as the kernel publishes it in sysfs under
 * {@code /sys/class/input/eventN/device/}: {@code capabilities/ev} (event types),
 * {@code capabilities/key}, {@code capabilities/rel}, {@code capabilities/abs} (codes per type) and
 * {@code properties} (INPUT_PROP_* bits).
 *
 * <p>Each file is a bitmap printed as space-separated hex words, most significant word first, each
 * word {@code BITS_PER_LONG} wide, with leading zero words left out ({@code "10000000000000 0"} is
 * bit 116, KEY_POWER, on a 64-bit kernel).
 */
record InputCapabilities(String name, BitSet ev, BitSet key, BitSet rel, BitSet abs, BitSet props) {

    static final int INPUT_PROP_ACCELEROMETER = 0x06;

    /**
     * Reads a device's capabilities.
     *
     * @param deviceDir {@code /sys/class/input/eventN/device}
     * @param wordBits  the kernel's {@code BITS_PER_LONG}: 64 or 32
     * @throws NoSuchFileException when sysfs does not describe the device (no {@code capabilities/ev})
     */
    static InputCapabilities read(Path deviceDir, int wordBits) throws IOException {
        Path caps = deviceDir.resolve("capabilities");
        BitSet ev = bitmap(Files.readString(caps.resolve("ev")), wordBits);
        return new InputCapabilities(
                optional(deviceDir.resolve("name")).trim(),
                ev,
                bitmap(optional(caps.resolve("key")), wordBits),
                bitmap(optional(caps.resolve("rel")), wordBits),
                bitmap(optional(caps.resolve("abs")), wordBits),
                bitmap(optional(deviceDir.resolve("properties")), wordBits));
    }

    /** The kernel's word size as seen from this JVM. */
    static int kernelWordBits() {
        return System.getProperty("os.arch", "").contains("64") ? 64 : 32;
    }

    /** Parses one sysfs bitmap. */
    static BitSet bitmap(String text, int wordBits) {
        BitSet bits = new BitSet();
        String trimmed = text.trim();
        if (trimmed.isEmpty()) return bits;
        String[] words = trimmed.split("\\s+");
        for (int i = 0; i < words.length; i++) {
            long word = Long.parseUnsignedLong(words[i], 16);
            int base = (words.length - 1 - i) * wordBits;
            for (int bit = 0; bit < wordBits; bit++) {
                if ((word >>> bit & 1) != 0) bits.set(base + bit);
            }
        }
        return bits;
    }

    private static String optional(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
