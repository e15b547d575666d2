package org.cyphon.cli.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Properties;

/**
 * One desk of the {@link Office}: a host on the LAN running a real {@code cyphon agent}, with its
 * own state dir and its own cgroup sub-tree (the office's parent, then the desk's name). Desks
 * offer their CPUs at once (the {@code dedicated} policy): these tests are about the network and
 * the pool's machinery, not the owner. Each carries the label {@code desk=NAME}, so a test can send
 * a job to one desk ({@code "requires": {"desk": NAME}}).
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

    Desk(Office office, String name, OfficeNetwork.Host host, double cpus) {
        this.office = office;
        this.name = name;
        this.host = host;
        this.cpus = cpus;
        this.stateDir = office.base.resolve("desk-" + name);
    }

    /**
     * Joins the pool with {@code t} and returns once the agent says it joined. This is the one place
     * a desk becomes a member: today it writes an {@code agent.toml} naming the coordinator's URL
     * and the enrollment secret (plain HTTP); with join lines it runs {@code cyphon agent join LINE}.
     */
    Desk join(Office.JoinTicket t) throws IOException {
        start(t);
        agent.awaitLine("agent \\S+ joined", Duration.ofSeconds(90));
        return this;
    }

    /** Starts the agent with {@code t} without waiting for it to join (an attack may keep it from joining). */
    CyphonProcess start(Office.JoinTicket t) throws IOException {
        this.ticket = t;
        Path secret = office.base.resolve("desk-" + name + ".secret");
        Files.deleteIfExists(secret);
        Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, t.secret());
        Path config = office.base.resolve("desk-" + name + ".toml");
        Files.writeString(config, """
                name = "%s"
                coordinator = "%s"
                enroll_token_file = "%s"
                state_dir = "%s"
                cpus = %s
                memory = "2G"
                [sandbox]
                cgroup_parent = "%s"
                [output]
                upload_every = "300ms"
                [policy]
                preset = "dedicated"
                [labels]
                desk = "%s"
                """.formatted(
                        name, t.coordinator(), secret, stateDir, cpus, office.network.cgroupParent(), name));
        agent = CyphonProcess.startVia(
                host.enter(),
                office.base.resolve("desk-" + name + "-" + starts++ + ".log"),
                "agent",
                "--config",
                config.toString());
        return agent;
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
