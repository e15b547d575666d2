package org.cyphon.cli.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One desk of the {@link Office}: a host on the LAN running a real {@code cyphon agent}, with its
 * own state dir and its own cgroup sub-tree (the office's parent, then the desk's name). Desks
 * offer their CPUs at once (the {@code dedicated} policy): these tests are about the network and
 * the pool's machinery, not the owner. Each carries the label {@code desk=NAME}, so a test can send
 * a job to one desk ({@code "requires": {"desk": NAME}}), and is owned by {@code owner-of-NAME}.
 *
 * <p>A desk joins as the README says: {@code cyphon agent join LINE --config FILE} on the desk
 * writes its agent.toml (coordinator, one-time secret, pinned CA), the desk's own settings are
 * added below (what an admin would edit into {@code /etc/cyphon/agent.toml}), and the agent starts.
 */
final class Desk implements AutoCloseable {
    final String name;
    final OfficeNetwork.Host host;
    private final Office office;
    private final double cpus;
    private final Path stateDir;
    private CyphonProcess agent;
    private Office.JoinTicket ticket;
    private int starts;
    private long agentStartedAt;
    /** More tables for its agent.toml ({@code [power]}, {@code [sensors]}); none by default. */
    private String moreTables = "";
    /** Whether the agent gets a /sys of the desk's own network ({@link #withOwnSysfs}). */
    private boolean ownSysfs;

    Desk(Office office, String name, OfficeNetwork.Host host, double cpus) {
        this.office = office;
        this.name = name;
        this.host = host;
        this.cpus = cpus;
        this.stateDir = office.base.resolve("desk-" + name);
    }

    /** Adds {@code tables} to the agent.toml this desk writes when it joins. */
    Desk withConfig(String tables) {
        this.moreTables = tables;
        return this;
    }

    /**
     * Runs the agent with a {@code /sys} mounted from the desk's own network namespace, as a real
     * desk has: {@code /sys/class/net} then lists the desk's cards, not the test machine's. In a
     * mount namespace of the agent's own, so nothing outside changes; the cgroup hierarchy is bound
     * back over the new {@code /sys/fs/cgroup} for the job sandbox. The agent's pid stays the
     * process's (unshare and sh exec it).
     */
    Desk withOwnSysfs() {
        this.ownSysfs = true;
        return this;
    }

    private List<String> launchPrefix() throws IOException {
        if (!ownSysfs) return host.enter();
        Path keep = Files.createDirectories(office.base.resolve("desk-" + name + "-cgroup-mount"));
        List<String> p = new ArrayList<>(host.enter());
        p.addAll(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --rbind /sys/fs/cgroup " + keep + " && mount -t sysfs sysfs /sys && mount --rbind " + keep
                        + " /sys/fs/cgroup && exec \"$0\" \"$@\""));
        return p;
    }

    /** Joins the pool with {@code t} and returns once the agent says it joined. */
    Desk join(Office.JoinTicket t) throws IOException, InterruptedException {
        start(t);
        agent.awaitLine("agent \\S+ joined", Duration.ofSeconds(90));
        return this;
    }

    /**
     * Runs {@code cyphon agent join LINE} on the desk, adds the desk's own settings to the agent.toml
     * it wrote, and starts the agent, without waiting for it to join (an attack may keep it from
     * joining).
     */
    CyphonProcess start(Office.JoinTicket t) throws IOException, InterruptedException {
        this.ticket = t;
        Path config = office.base.resolve("desk-" + name + ".toml");
        Files.deleteIfExists(config); // a fresh desk: nothing configured yet
        CyphonProcess.Result joined = CyphonProcess.runVia(
                host.enter(),
                Map.of(),
                "agent",
                "join",
                t.line().format(),
                "--config",
                config.toString(),
                "--name",
                name);
        if (joined.exitCode() != 0) throw new IllegalStateException("cyphon agent join on " + name + ": " + joined);
        // Top-level keys first (the join wrote only top-level keys), then the tables.
        Files.writeString(
                config,
                """
                state_dir = "%s"
                cpus = %s
                memory = "2G"
                owner = "owner-of-%s"
                [sandbox]
                cgroup_parent = "%s"
                [output]
                upload_every = "300ms"
                [policy]
                preset = "dedicated"
                [labels]
                desk = "%s"
                %s
                """.formatted(stateDir, cpus, name, office.network.cgroupParent(), name, moreTables),
                StandardOpenOption.APPEND);
        agentStartedAt = System.nanoTime();
        agent = CyphonProcess.startVia(
                launchPrefix(),
                office.base.resolve("desk-" + name + "-" + starts++ + ".log"),
                "agent",
                "--config",
                config.toString());
        return agent;
    }

    /** {@link System#nanoTime} when the agent's process was last started (after {@code agent join}). */
    long agentStartedAt() {
        return agentStartedAt;
    }

    /** The ticket this desk last joined with (what an attacker who read its disk would have). */
    Office.JoinTicket ticket() {
        return ticket;
    }

    /** The agent's own token, as it keeps it in {@code state_dir/credentials}. */
    String agentToken() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(stateDir.resolve("credentials"))) {
            p.load(r);
        }
        return p.getProperty("token");
    }

    CyphonProcess agent() {
        return agent;
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (agent != null) agent.close();
    }
}
