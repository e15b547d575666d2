package org.cyphon.agent.desk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one desk VM is: the owner's own OS as a QEMU guest. Validated on construction; every error
 * is an {@link InvalidDeskSpecException} naming the configuration key at fault.
 *
 * <p>The guest sees two virtio disks: the system disk (the overlay, serial number
 * {@code cyphon-system}) and the user-data disk (serial {@code cyphon-data}), so the guest can tell
 * them apart whatever order they are probed in.
 *
 * @param name         the desk's name: QEMU's {@code -name}, its cgroup, log lines; letters, digits, {@code . _ -}
 * @param goldenImage  the read-only qcow2 every reimage starts from; may be shared by many desks (a server mount)
 * @param overlay      this desk's qcow2 backed by the golden image, where the guest's writes go; made
 *                     on first start, replaced by reimage (the previous one kept as {@code OVERLAY.prev})
 * @param userData     a disk image of the owner's own (qcow2 or raw, told apart by its header) that
 *                     reimaging never touches
 * @param vcpus        virtual CPUs, 1 to 256
 * @param memoryMaxMiB guest RAM in MiB ({@code -m}), at least 64
 * @param memoryMinMiB the least the balloon may leave the guest, in MiB: 32 to {@code memoryMaxMiB}
 * @param display      how a person sees the guest: SPICE on a UNIX socket for the owner's desk session, or none
 * @param network      {@code none}, or {@code user} (QEMU's NAT: outgoing connections only)
 * @param accel        {@code auto}, {@code kvm} or {@code tcg}
 * @param kernelBoot   boot this kernel directly instead of from the system disk (test guests,
 *                     appliances); null for a normal desk
 */
public record DeskSpec(
        String name,
        Path goldenImage,
        Path overlay,
        Path userData,
        int vcpus,
        long memoryMaxMiB,
        long memoryMinMiB,
        Display display,
        Network network,
        Accel accel,
        KernelBoot kernelBoot) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern ACCOUNT = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    /** How a person sees the guest's screen. */
    public enum DisplayKind {
        NONE,
        /** SPICE on a UNIX socket that only the desk session's user can reach (docs/desk-session.md). */
        SPICE
    }

    /**
     * The guest's screen. Never a TCP port: any local process (a cluster job too) can connect to one,
     * and an unauthenticated display hands it the owner's keyboard. SPICE listens on
     * {@code DIR/spice.sock}, in a directory of mode 0700 owned by {@code user}, and asks for a
     * password made afresh at every start ({@code DIR/ticket}, 0600, the same user's): see
     * {@link DeskDisplay}.
     *
     * @param dir      the directory of the socket and the ticket (absolute); null for none
     * @param user     the local account whose desk session shows the VM; null for none
     * @param monitors the guest's displays, 1 to 4 (one per monitor at the desk); 0 for none
     */
    public record Display(DisplayKind kind, Path dir, String user, int monitors) {
        public static Display none() {
            return new Display(DisplayKind.NONE, null, null, 0);
        }

        public static Display spice(Path dir, String user, int monitors) {
            return new Display(DisplayKind.SPICE, dir, user, monitors);
        }

        /** The SPICE server's socket. */
        public Path socket() {
            return dir.resolve("spice.sock");
        }

        /** The per-start password, for the session's user only. */
        public Path ticket() {
            return dir.resolve("ticket");
        }

        /** Where the agent listens for the desk session (docs/desk-session.md). */
        public Path sessionSocket() {
            return dir.resolve("session.sock");
        }
    }

    /** The guest's network. */
    public enum Network {
        /** No network card at all. */
        NONE,
        /** QEMU's user-mode NAT (a virtio-net card): the guest reaches out, nothing reaches in. */
        USER;

        public static Network parse(String text) {
            for (Network n : values()) {
                if (n.name().equalsIgnoreCase(text == null ? "" : text.trim())) return n;
            }
            throw new IllegalArgumentException("'" + text + "' is not one of none, user");
        }
    }

    /**
     * Direct kernel boot.
     *
     * @param kernel  the kernel image
     * @param initrd  an initramfs, or null
     * @param cmdline the kernel command line, or null
     */
    public record KernelBoot(Path kernel, Path initrd, String cmdline) {}

    public DeskSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidDeskSpecException(
                    "name",
                    "'" + name + "' must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        absolute("golden_image", goldenImage);
        absolute("overlay", overlay);
        absolute("user_data", userData);
        if (overlay.normalize().equals(goldenImage.normalize())) {
            throw new InvalidDeskSpecException("overlay", "must not be the golden image itself (" + goldenImage + ")");
        }
        if (userData.normalize().equals(goldenImage.normalize())
                || userData.normalize().equals(overlay.normalize())) {
            throw new InvalidDeskSpecException(
                    "user_data", "must be a disk of its own, not the golden image or the overlay (" + userData + ")");
        }
        if (vcpus < 1 || vcpus > 256) {
            throw new InvalidDeskSpecException("vcpus", vcpus + " is not between 1 and 256");
        }
        if (memoryMaxMiB < 64 || memoryMaxMiB > 4L * 1024 * 1024) {
            throw new InvalidDeskSpecException("memory_max", memoryMaxMiB + " MiB is not between 64 MiB and 4 TiB");
        }
        if (memoryMinMiB < 32) {
            throw new InvalidDeskSpecException("memory_min", memoryMinMiB + " MiB is less than 32 MiB");
        }
        if (memoryMinMiB > memoryMaxMiB) {
            throw new InvalidDeskSpecException(
                    "memory_min", memoryMinMiB + " MiB is more than memory_max (" + memoryMaxMiB + " MiB)");
        }
        if (display == null || display.kind() == null) {
            throw new InvalidDeskSpecException("display", "missing: one of none, spice");
        }
        if (display.kind() == DisplayKind.SPICE) checkSpice(display);
        if (network == null) throw new InvalidDeskSpecException("network", "missing: one of none, user");
        if (accel == null) throw new InvalidDeskSpecException("accel", "missing: one of auto, kvm, tcg");
        if (kernelBoot != null) {
            absolute("kernel", kernelBoot.kernel());
            if (kernelBoot.initrd() != null) absolute("initrd", kernelBoot.initrd());
            if (kernelBoot.cmdline() != null && kernelBoot.cmdline().chars().anyMatch(c -> c < ' ')) {
                throw new InvalidDeskSpecException("cmdline", "must be one line without control characters");
            }
        }
    }

    /**
     * Checks the files this spec names, as they are now: the golden image is a readable qcow2, the
     * user-data disk a readable and writable file, the overlay's directory writable, a direct-boot
     * kernel readable. Called before every start and reimage, since images live on mounts that
     * come and go.
     */
    public void checkFiles() {
        readable("golden_image", goldenImage);
        if (!isQcow2(goldenImage)) {
            throw new InvalidDeskSpecException(
                    "golden_image",
                    goldenImage + " is not a qcow2 image (convert it: qemu-img convert -O qcow2 IN OUT)");
        }
        readable("user_data", userData);
        if (!Files.isWritable(userData)) throw new InvalidDeskSpecException("user_data", userData + " is not writable");
        Path dir = overlay.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new InvalidDeskSpecException("overlay", "directory " + dir + " does not exist or is not writable");
        }
        if (kernelBoot != null) {
            readable("kernel", kernelBoot.kernel());
            if (kernelBoot.initrd() != null) readable("initrd", kernelBoot.initrd());
        }
    }

    /** True when {@code image} starts with the qcow2 magic number. */
    static boolean isQcow2(Path image) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(image)) {
            return in.readNBytes(head, 0, 4) == 4 && Arrays.equals(head, QCOW2_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** The format name QEMU is told for the user-data disk ({@code qcow2} or {@code raw}), never left to QEMU's probing. */
    String userDataFormat() {
        return isQcow2(userData) ? "qcow2" : "raw";
    }

    /** {@code none}, or {@code spice unix:/run/cyphon-desk/alice/spice.sock (alice's desk session)}. */
    public String displayDescription() {
        return display.kind() == DisplayKind.NONE
                ? "none"
                : display.kind().name().toLowerCase(Locale.ROOT) + " unix:" + display.socket() + " ("
                        + display.user() + "'s desk session"
                        + (display.monitors() > 1 ? ", " + display.monitors() + " monitors" : "") + ")";
    }

    private static void checkSpice(Display display) {
        absolute("display_dir", display.dir());
        String dir = display.dir().toString();
        if (dir.contains(",") || dir.contains("'")) {
            // QEMU option values are comma-separated; the save command quotes paths in single quotes.
            throw new InvalidDeskSpecException("display_dir", dir + " must not contain ',' or a quote");
        }
        // sun_path holds 107 bytes; session.sock is the longest name in the directory.
        if (display.sessionSocket().toString().getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new InvalidDeskSpecException("display_dir", dir + " is too long for a UNIX socket path");
        }
        if (display.user() == null || !ACCOUNT.matcher(display.user()).matches()) {
            throw new InvalidDeskSpecException("session_user", "'" + display.user() + "' is not a local account name");
        }
        if (display.monitors() < 1 || display.monitors() > 4) {
            throw new InvalidDeskSpecException("monitors", display.monitors() + " is not between 1 and 4");
        }
    }

    private static void absolute(String field, Path path) {
        if (path == null) throw new InvalidDeskSpecException(field, "missing");
        if (!path.isAbsolute()) throw new InvalidDeskSpecException(field, path + " is not an absolute path");
    }

    private static void readable(String field, Path path) {
        if (!Files.isRegularFile(path))
            throw new InvalidDeskSpecException(field, path + " does not exist or is not a file");
        if (!Files.isReadable(path)) throw new InvalidDeskSpecException(field, path + " is not readable");
    }
}
