package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Who may see and drive the desk VM's screen: the desk session's user, and root. Nobody else — a
 * cluster job running as its sandbox user included — can reach it (invariant 5):
 *
 * <ul>
 *   <li>SPICE listens on a UNIX socket, never on a TCP port, in a directory of mode 0700 owned by
 *       the session's user ({@code session_user}); the socket itself is handed to that user, 0600.
 *   <li>Every start and restore makes a new password (a SPICE "ticket"): QEMU reads it from a file
 *       in the desk's own 0700 state directory, deleted once QEMU has it; the session's user reads
 *       it from {@code ticket} (0600, theirs) in the display directory and hands it to the viewer
 *       on its standard input, so it appears in no command line. A password seen once is worth
 *       nothing after the next start.
 * </ul>
 *
 * <p>The two are independent locks: a process that somehow got into the directory still needs
 * the password, and one that learnt an old password cannot reach the socket.
 */
final class DeskDisplay {
    /** 32 random bytes, in the 43 characters of unpadded base64url (SPICE takes up to 60). */
    private static final int TICKET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeskDisplay() {}

    /**
     * Before QEMU starts: the display directory exists, is the session user's and 0700, holds no
     * stale socket, and a new password is in {@code secretFile} (for QEMU) and the ticket (for the
     * session). A no-op for a desk without a display.
     */
    static void beforeLaunch(DeskSpec.Display display, Path secretFile) throws DeskException {
        if (display.kind() != DeskSpec.DisplayKind.SPICE) return;
        UserPrincipal user = prepareDir(display);
        try {
            Files.deleteIfExists(display.socket());
            String ticket = newTicket();
            writePrivate(secretFile, ticket, null);
            writePrivate(display.ticket(), ticket, user);
        } catch (IOException e) {
            throw DeskException.failed("cannot write the desk's display password in " + display.dir() + ": " + e, e);
        }
    }

    /** The display directory exists, 0700, the session user's; returns that user. */
    static UserPrincipal prepareDir(DeskSpec.Display display) throws DeskException {
        UserPrincipal user = user(display.user());
        Path dir = display.dir();
        try {
            Path parent = dir.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                // Anyone may pass through to their own directory; listing it says only whose desks these are.
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (Files.isSymbolicLink(dir))
                throw DeskException.invalid("display_dir " + dir + " is a symbolic link; it must be a directory");
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if (!user.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))) lchown(dir, user);
            return user;
        } catch (IOException e) {
            throw DeskException.failed(
                    "cannot prepare the desk's display directory " + dir + " for " + display.user() + ": " + e, e);
        }
    }

    /**
     * Once QEMU runs: its socket (made with QEMU's own owner and umask) is handed to the session's
     * user, 0600, and QEMU's copy of the password is deleted.
     */
    static void afterLaunch(DeskSpec.Display display, Path secretFile) throws DeskException {
        if (display.kind() != DeskSpec.DisplayKind.SPICE) return;
        try {
            Files.deleteIfExists(secretFile);
            Path socket = display.socket();
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS))
                throw DeskException.failed("qemu made no SPICE socket at " + socket);
            // No chmod (it would follow a link the user put there): QEMU made the socket without
            // write bits for others, and connecting needs write permission; the owner's bits are what count.
            lchown(socket, user(display.user()));
        } catch (IOException e) {
            throw DeskException.failed("cannot hand the SPICE socket to " + display.user() + ": " + e, e);
        }
    }

    static void lchown(Path file, UserPrincipal owner) throws IOException {
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(owner);
    }

    /** The session's account, or an error naming the key when this machine has no such user. */
    static UserPrincipal user(String name) throws DeskException {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw DeskException.invalid("session_user '" + name + "' is not an account on this machine");
        } catch (IOException e) {
            throw DeskException.failed("cannot look up session_user '" + name + "': " + e, e);
        }
    }

    private static String newTicket() {
        byte[] b = new byte[TICKET_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Written 0600 beside its final name, handed to {@code owner} (null: stays ours), then renamed
     * over it. The directory may be the session user's, who could swap a name for a symbolic link at
     * any moment: the file is created new and written through our own descriptor, and its owner
     * changed without following links, so no file of root's elsewhere is ever written or given away.
     */
    private static void writePrivate(Path file, String text, UserPrincipal owner) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try (SeekableByteChannel out = Files.newByteChannel(
                tmp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        }
        if (owner != null) lchown(tmp, owner);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
