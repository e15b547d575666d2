package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.protocol.WallView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Unix account each job runs as, so that no two submitters' jobs ever share one
 * ({@code sandbox.run_as}):
 * <ul>
 *   <li>{@code "slot"}: one of a pool of system accounts {@code PREFIX1..} that we create when
 *       first needed ({@code useradd --system}, no home, no login shell). One slot per running job,
 *       at most {@code max_jobs} held by this agent; the pool is shared by every agent on the machine.
 *       A slot last used by another submitter is cleaned before it is handed out
 *       ({@link SlotCleaner}: its processes, IPC objects and files in the shared temporary
 *       directories), and skipped when something of the earlier submitter survives the cleaning.
 *       Each slot in use is held by an exclusive lock on {@code LOCKS/NAME.lock}, so two agents on
 *       one machine (tests, or a desk running two) never hand out, or clean, each other's slot.</li>
 *   <li>{@code "submitter"}: the submitter's own account, when this desk knows that name (an
 *       office with LDAP or SSSD); a job of a submitter the desk does not know fails to start,
 *       saying so. Never root.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class JobAccounts {
    private static final Logger log = LoggerFactory.getLogger(JobAccounts.class);

    /** One job's account, held until {@link #close()}. */
    public interface Account extends AutoCloseable {
        String user();

        @Override
        void close();
    }

    private final String runAs;
    private final String prefix;
    private final int slots;
    private final Path locks;
    private final SystemTools tools;
    private final Slot[] pool;
    /** Jobs get private /tmp, /var/tmp and /dev/shm here, so the cleaner need not walk the host's. */
    private final boolean privateTemp;

    private static final class Slot {
        String lastSubmitter;
        FileChannel lockFile;
        FileLock lock;
    }

    private JobAccounts(String runAs, String prefix, int slots, Path locks, SystemTools tools) {
        this.runAs = runAs;
        this.prefix = prefix;
        this.slots = slots;
        this.locks = locks;
        this.tools = tools;
        this.privateTemp = JobWalls.missing(tools).isEmpty();
        // Room for several agents on one machine (tests, `cyphon up --agents N`), each with its max_jobs.
        this.pool = new Slot[Math.max(slots * 8, 64)];
        for (int i = 0; i < pool.length; i++) pool[i] = new Slot();
    }

    /**
     * @param runAs  {@code "slot"} or {@code "submitter"}
     * @param prefix slot account names are this plus 1..slots ({@code cyphon-slot})
     * @param slots  how many jobs may run at once ({@code max_jobs})
     * @param locks  directory of the slots' lock files, shared by every agent on the machine
     */
    public static JobAccounts of(String runAs, String prefix, int slots, Path locks) {
        if (!runAs.equals("slot") && !runAs.equals("submitter")) {
            throw new IllegalArgumentException("sandbox run_as '" + runAs + "' is not slot or submitter");
        }
        if (!prefix.matches("[a-z_][a-z0-9_-]{0,20}")) {
            throw new IllegalArgumentException("sandbox slot_prefix '" + prefix
                    + "' is not usable as the start of a user name (lower-case letters, digits, '_', '-'; at most 21)");
        }
        if (slots < 1) throw new IllegalArgumentException("max_jobs must be at least 1, got " + slots);
        return new JobAccounts(runAs, prefix, slots, locks, SystemTools.find());
    }

    public String runAs() {
        return runAs;
    }

    /** The wall named in heartbeats and {@code cyphon machine NAME}. */
    public static final String WALL = WallView.JOB_ACCOUNTS;

    /**
     * Whether jobs of different submitters get different accounts on this desk, and how.
     *
     * @param accounts     this agent's accounts; null when it has none
     * @param fixedJobUser the one {@code sandbox.job_user} every job runs as, or null
     */
    public static WallView wall(JobAccounts accounts, String fixedJobUser) {
        if (accounts != null && accounts.runAs.equals("submitter"))
            return WallView.built(
                    WALL, "each job runs as its submitter's own account (sandbox.run_as = \"submitter\")");
        if (accounts != null)
            return WallView.built(
                    WALL,
                    "slot accounts " + accounts.slotName(1) + "..., one per running job, never shared by two submitters"
                            + " (cleaned first)"
                            + (accounts.tools.useradd() == null
                                    ? "; useradd(8) missing: only slots that exist already"
                                    : ""));
        if (fixedJobUser != null)
            return WallView.missing(
                    WALL, "every job runs as the one sandbox.job_user '" + fixedJobUser + "', whoever submitted it");
        return WallView.missing(WALL, "the agent is not root: every job runs as the agent's own user");
    }

    /** The name of slot {@code n} (1-based). */
    public String slotName(int n) {
        return prefix + n;
    }

    /**
     * The account for one job of {@code submitter}.
     *
     * @throws IOException naming why there is none: an unknown submitter, a root submitter, every
     *     slot busy or still holding an earlier submitter's leftovers, an account that cannot be made
     */
    public Account take(String submitter) throws IOException {
        Objects.requireNonNull(submitter, "submitter");
        if (runAs.equals("submitter")) return submitterAccount(submitter);
        synchronized (this) {
            // At max_jobs the job waits here for one to end (its attempt is held, its lease kept)
            // rather than failing: the coordinator places by CPU and memory, not by count.
            long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
            while (held() >= slots) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IOException("this desk runs at most " + slots
                            + " jobs at once (max_jobs), and none ended in " + MAX_WAIT_MS / 1000 + " s");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for a job account", e);
                }
            }
            // Prefer a slot this submitter used last: nothing to clean, its files may be reused.
            for (int i = 0; i < pool.length; i++) {
                if (pool[i].lock == null && submitter.equals(pool[i].lastSubmitter) && tryLock(i)) {
                    return slotAccount(i, submitter);
                }
            }
            // The pool is the machine's: other agents here hold some slots (their lock files say
            // which), so we look past our own max_jobs, up to every agent's worth.
            StringBuilder why = new StringBuilder();
            for (int i = 0; i < pool.length; i++) {
                if (pool[i].lock != null || !tryLock(i)) continue;
                try {
                    ensureExists(slotName(i + 1));
                    String left = SlotCleaner.clean(
                            JobUser.lookup(slotName(i + 1), tools.getent()), tools.ipcrm(), privateTemp);
                    if (left.isEmpty()) return slotAccount(i, submitter);
                    why.append("; ").append(slotName(i + 1)).append(": ").append(left);
                } catch (IOException e) {
                    why.append("; ").append(slotName(i + 1)).append(": ").append(e.getMessage());
                }
                unlock(i);
            }
            throw new IOException("no free job account for " + submitter + " (" + pool.length + " slots"
                    + (why.length() == 0 ? ", all busy" : why.toString()) + ")");
        }
    }

    private static final long MAX_WAIT_MS = 10 * 60 * 1000;

    private int held() {
        int n = 0;
        for (Slot slot : pool) if (slot.lock != null) n++;
        return n;
    }

    private Account submitterAccount(String submitter) throws IOException {
        JobUser user;
        try {
            user = JobUser.lookup(submitter, tools.getent());
        } catch (IOException e) {
            throw new IOException("this desk does not know the submitter's account '" + submitter
                    + "' (sandbox.run_as = \"submitter\")");
        }
        if (user.uid() == 0) throw new IOException("jobs never run as root: submitter '" + submitter + "' is uid 0");
        String name = user.name();
        return new Account() {
            @Override
            public String user() {
                return name;
            }

            @Override
            public void close() {}
        };
    }

    private Account slotAccount(int i, String submitter) {
        pool[i].lastSubmitter = submitter;
        String name = slotName(i + 1);
        log.info("job account {} given to a job of {}", name, submitter);
        return new Account() {
            private boolean closed;

            @Override
            public String user() {
                return name;
            }

            @Override
            public void close() {
                synchronized (JobAccounts.this) {
                    if (closed) return;
                    closed = true;
                    unlock(i);
                    JobAccounts.this.notifyAll();
                }
            }
        };
    }

    private boolean tryLock(int i) {
        try {
            Files.createDirectories(locks);
            FileChannel ch = FileChannel.open(
                    locks.resolve(slotName(i + 1) + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                // Another agent holds it: what we knew of its last submitter is stale.
                pool[i].lastSubmitter = null;
                return false;
            }
            pool[i].lockFile = ch;
            pool[i].lock = lock;
            return true;
        } catch (IOException e) {
            log.warn("cannot lock job account {}: {}", slotName(i + 1), e.getMessage());
            return false;
        }
    }

    private void unlock(int i) {
        try {
            if (pool[i].lock != null) pool[i].lock.release();
            if (pool[i].lockFile != null) pool[i].lockFile.close();
        } catch (IOException e) {
            log.warn("cannot unlock job account {}: {}", slotName(i + 1), e.getMessage());
        }
        pool[i].lock = null;
        pool[i].lockFile = null;
    }

    /** Creates the slot's system account when missing: no home, no login shell, its own group. */
    private void ensureExists(String name) throws IOException {
        try {
            JobUser.lookup(name, tools.getent());
            return;
        } catch (IOException missing) {
            // made below
        }
        if (tools.useradd() == null) throw new IOException("useradd(8) not found to create job account " + name);
        Process p = new ProcessBuilder(List.of(
                        tools.useradd().toString(),
                        "--system",
                        "--no-create-home",
                        "--home-dir",
                        "/nonexistent",
                        "--shell",
                        "/usr/sbin/nologin",
                        "--user-group",
                        "--comment",
                        "cyphon job slot",
                        name))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating job account " + name, e);
        }
        // A concurrent useradd of the same name (another agent) is fine: the account exists.
        JobUser.lookup(name, tools.getent());
        log.info("created job account {}{}", name, out.isEmpty() ? "" : " (" + out + ")");
    }
}
