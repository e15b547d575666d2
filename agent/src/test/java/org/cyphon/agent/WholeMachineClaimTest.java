package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "I need my whole machine now" on a whole agent with a real sandbox: the owner's claim, asked
 * through the agent's own owner socket, freezes the running job at once, holds new work back and
 * thaws it when ended; its length is bounded, it is kept in the state directory for the next
 * agent, and it is said in the desk audit log.
 */
class WholeMachineClaimTest {
    private static final ObjectMapper JSON = OwnerSocket.JSON;

    @TempDir
    Path dir;

    private static OwnerCall.Reply ask(Path socket, String action, String time) throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap((JSON.writeValueAsString(new OwnerCall.Request(action, time, null)) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (c.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return JSON.readValue(out.toByteArray(), OwnerCall.Reply.class);
        }
    }

    @Test
    void theOwnersClaimFreezesEveryJobHoldsNewWorkBackAndEndsWhenTheyGiveItBack() throws Exception {
        try (TestDesk d = new TestDesk(dir, "preset = \"dedicated\"")) {
            Path socket = d.agent.ownerSocketPath();
            assertThat(socket).isNotNull();
            WorkAssignment w = d.job(1, "while :; do :; done");
            d.assign(w);
            d.awaitStarted(w);
            assertThat(d.agent.ownerFirst().startDecision().allowed()).isTrue();

            assertThat(ask(socket, "claim", "13h").message()).contains("at most 12h");
            assertThat(ask(socket, "claim", "soon").message()).contains("'soon' is not a duration");
            OwnerCall.Reply claimed = ask(socket, "claim", "30m");
            assertThat(claimed.ok()).as(claimed.message()).isTrue();
            assertThat(claimed.claimUntil()).isNotNull();

            await().atMost(TestDesk.PATIENCE)
                    .until(() -> d.attempt(w).policyStateName().equals("frozen"));
            assertThat(d.agent.ownerFirst().startDecision().allowed()).isFalse();
            assertThat(d.agent.ownerFirst().startDecision().reasons())
                    .anyMatch(r -> r.contains("the owner asked for the whole machine until"));
            assertThat(d.agent.ownerFirst().ownerHere())
                    .as("the desk VM counts them as present")
                    .isTrue();
            assertThat(Files.readString(d.stateDir.resolve(OwnerActions.CLAIM_FILE))
                            .trim())
                    .isEqualTo(claimed.claimUntil().toString());

            assertThat(ask(socket, "unclaim", null).ok()).isTrue();
            await().atMost(TestDesk.PATIENCE)
                    .until(() -> d.attempt(w).policyStateName().equals("running"));
            assertThat(d.agent.ownerFirst().startDecision().allowed()).isTrue();
            assertThat(Files.exists(d.stateDir.resolve(OwnerActions.CLAIM_FILE)))
                    .isFalse();

            assertThat(d.agent.deskEvents().unsent())
                    .extracting(DeskEvent::action, DeskEvent::arguments, DeskEvent::role)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("claim", "30m", "owner"),
                            org.assertj.core.groups.Tuple.tuple("claim-ended", "", "owner"));
            assertThat(d.agent.deskEvents().unsent().getFirst().principal()).isEqualTo("root");
        }
    }
}
