package org.cyphon.agent.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.cyphon.agent.priority.ThreadScheduling;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.EnrollRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All of the agent's coordinator traffic runs at nice 19: the JDK client's selector thread and its
 * pool threads, as the kernel reports them, after real calls to a real coordinator over plain http
 * (which needs no TLS engine at all).
 */
class CoordinatorClientPriorityTest {
    @TempDir
    Path temp;

    @Test
    void theClientsThreadsRunAtNice19AndTheCallerKeepsItsPriority() throws Exception {
        Map<Long, String> before = threads();
        try (Coordinator coordinator = Coordinator.start(
                CoordinatorConfig.defaults(temp.resolve("coordinator")).withPort(0))) {
            CoordinatorClient client = new CoordinatorClient(URI.create(coordinator.url()));
            client.enroll(
                    coordinator.enrollToken(),
                    new EnrollRequest("desk-1", 4, 8L << 30, "nice-only", null, "test", "unavailable: test"));
            assertThat(client.pollWork(Duration.ofMillis(10)).assignments()).isEmpty();

            Map<Long, String> made = threads();
            made.keySet().removeAll(before.keySet());
            Map<Long, ThreadScheduling> clientThreads = new HashMap<>();
            for (Map.Entry<Long, String> t : made.entrySet()) {
                // The coordinator's own threads (in this process for the test) are not the client's.
                if (t.getValue().startsWith("coordinator-cl") || t.getValue().startsWith("HttpClient-")) {
                    clientThreads.put(t.getKey(), ThreadScheduling.of(t.getKey()));
                }
            }
            assertThat(made.values()).as("the selector thread").anyMatch(n -> n.startsWith("HttpClient-"));
            assertThat(made.values()).as("the pool").anyMatch(n -> n.startsWith("coordinator-cl"));
            assertThat(clientThreads.values())
                    .as("" + clientThreads)
                    .allMatch(s -> s.equals(new ThreadScheduling(ThreadScheduling.SCHED_OTHER, 19)));
            assertThat(ThreadScheduling.current().ordinary()).isTrue();
        }
    }

    /** This process's threads now: id to name (comm, 15 characters at most). */
    private static Map<Long, String> threads() throws IOException {
        Map<Long, String> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    out.put(
                            Long.parseLong(t.getFileName().toString()),
                            Files.readString(t.resolve("comm")).strip());
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        }
        return out;
    }
}
