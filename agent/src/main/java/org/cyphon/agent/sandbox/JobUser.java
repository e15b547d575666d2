package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unprivileged account a job runs as when the agent is root, and what handing a job to it takes.
 *
 * <p>Looked up through {@code getent passwd}, so directory-service accounts (LDAP, SSSD) of an
 * office network work as well as local ones.
 */
public record JobUser(String name, int uid, int gid) {
    private static final Logger log = LoggerFactory.getLogger(JobUser.class);

    /** The account called {@code name}, through {@code getent} where there is one. */
    public static JobUser lookup(String name) throws IOException {
        return lookup(name, SystemTools.find().getent());
    }

    /** @throws IOException naming the user when it does not exist */
    static JobUser lookup(String name, Path getent) throws IOException {
        String line = getent != null ? viaGetent(name, getent) : viaPasswdFile(name);
        if (line == null) throw new IOException("no such user '" + name + "' on this machine");
        String[] f = line.split(":");
        return new JobUser(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
    }

    /** The effective uid of the agent itself. */
    public static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[2]);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the agent's uid from /proc/self/status: {}", e);
        }
        return -1;
    }

    /**
     * Gives the job's working directory (recursively, without following symbolic links, so a link
     * planted in an input cannot make us chown a system file) and its output files to this user.
     * Logs a warning when an ancestor of the working directory cannot be searched by the user: the
     * job then still runs in it (it inherits the directory open) but absolute paths into it fail.
     */
    public void handOver(Path workDir, Path... files) throws IOException {
        Files.walkFileTree(workDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                chown(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                chown(file);
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path f : files) chown(f);
        for (Path dir = workDir.getParent(); dir != null; dir = dir.getParent()) {
            if (!searchable(dir)) {
                log.warn(
                        "{} is not searchable by user {}: the job can reach its working directory {} only by relative paths",
                        dir,
                        name,
                        workDir);
                break;
            }
        }
    }

    /**
     * {@link #switchCommand(Path)} with this desk's setpriv.
     *
     * @throws IOException when setpriv(1) is not installed
     */
    public List<String> switchCommand() throws IOException {
        Path setpriv = SystemTools.find().setpriv();
        if (setpriv == null) throw new IOException("setpriv(1) not found: cannot act as user " + name);
        return switchCommand(setpriv);
    }

    /** setpriv(1) prefix that becomes this user, with its groups, for good: no setuid way back. */
    List<String> switchCommand(Path setpriv) {
        return List.of(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--no-new-privs", "--");
    }

    private void chown(Path p) throws IOException {
        try {
            Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException("cannot give " + p + " to user " + name + ": " + e.getMessage(), e);
        }
    }

    /** Search permission by owner, primary group or others; supplementary groups are not consulted. */
    private boolean searchable(Path dir) throws IOException {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode");
        int owner = (Integer) Files.getAttribute(dir, "unix:uid");
        int group = (Integer) Files.getAttribute(dir, "unix:gid");
        if (owner == uid) return (mode & 0100) != 0;
        if (group == gid) return (mode & 0010) != 0;
        return (mode & 0001) != 0;
    }

    private static String viaGetent(String name, Path getent) throws IOException {
        Process p = new ProcessBuilder(getent.toString(), "passwd", name)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("getent passwd " + name + " did not answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted looking up user " + name, e);
        }
        return p.exitValue() == 0 && !out.isEmpty() ? out.split("\n")[0] : null;
    }

    private static String viaPasswdFile(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            if (line.startsWith(name + ":")) return line;
        }
        return null;
    }
}
