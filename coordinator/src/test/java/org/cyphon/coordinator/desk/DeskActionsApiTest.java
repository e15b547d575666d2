package org.cyphon.coordinator.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.coordinator.MovableClock;
import org.cyphon.coordinator.OnEveryStore;
import org.cyphon.coordinator.TestStore;
import org.cyphon.coordinator.http.WireJson;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.DeskEventList;
import org.cyphon.core.protocol.DeskVmView;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.OwnerAtDesk;
import org.cyphon.core.protocol.OwnerRequest;
import org.cyphon.core.protocol.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's half of desk actions over real HTTP and a real H2 store: the test plays the
 * agents' side of the protocol (their long poll and their answers) to reach the cases a real desk
 * gives rarely: every kind of refusal, an agent that never fetches, one that never answers, and a
 * late answer. The whole path with a real agent and a real guest is the CLI's DeskCommandsIT.
 */
@OnEveryStore
class DeskActionsApiTest {
    private final TestStore store;
    private TestStore.Instance db;

    DeskActionsApiTest(TestStore store) {
        this.store = store;
    }

    private static final ObjectMapper JSON = WireJson.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private Coordinator coordinator;
    private String admin;

    record Reply(int status, byte[] body, String contentType) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws Exception {
        db = store.create(tmp);
        coordinator = Coordinator.startStepped(
                db.applyTo(CoordinatorConfig.defaults(tmp).withPort(0)), clock);
        admin = coordinator.adminToken();
    }

    @AfterEach
    void stop() {
        try {
            if (coordinator != null) coordinator.close();
        } finally {
            if (db != null) db.close();
        }
    }

    @Test
    @Timeout(30)
    void anActionReachesTheAgentAndItsAnswerIsRecordedBeforeTheAdminGetsIt() throws Exception {
        String m1 = agent("m1", true);
        CompletableFuture<Reply> pause = async(() -> call("POST", "/machines/m1/desk/pause", admin, null));
        JsonNode command = poll("m1", m1);
        assertThat(command.path("action").asText()).isEqualTo("pause");
        assertThat(command.path("waitSeconds").asInt()).isEqualTo(30);
        assertThat(answer("m1", m1, command.path("id").asLong(), "ok", "paused", null)
                        .status())
                .isEqualTo(200);
        Reply r = pause.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("message").asText()).isEqualTo("paused");
        assertThat(r.json().path("vm").path("state").asText()).isEqualTo("paused");
        assertThat(call("GET", "/machines/m1", admin, null)
                        .json()
                        .path("vm")
                        .path("state")
                        .asText())
                .isEqualTo("paused");

        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        CompletableFuture<Reply> shot = async(() -> call("GET", "/machines/m1/desk/screenshot", admin, null));
        command = poll("m1", m1);
        answer(
                "m1",
                m1,
                command.path("id").asLong(),
                "ok",
                "screenshot taken",
                Base64.getEncoder().encodeToString(png));
        r = shot.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("image/png");
        assertThat(r.body()).isEqualTo(png);

        assertThat(audit("m1"))
                .containsExactly("admin/admin pause ok paused", "admin/admin screenshot ok screenshot taken");
    }

    @Test
    @Timeout(30)
    void everyRefusalSaysWhyAndIsOnRecordExceptAMissingToken() throws Exception {
        String m1 = agent("m1", true);
        agent("m2", false);
        String alice = JSON.readTree(
                        call("POST", "/tokens", admin, JSON.writeValueAsBytes(new TokenRequest("alice", false)))
                                .body())
                .path("token")
                .asText();

        assertThat(call("POST", "/machines/m1/desk/start", null, null).status()).isEqualTo(401);
        Reply r = call("POST", "/machines/m1/desk/start", alice, null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("admin token").contains("user 'alice'");
        assertThat(call("GET", "/machines/m1/desk/audit", alice, null).status()).isEqualTo(403);
        r = call("POST", "/machines/m1/desk/pause?force=true", admin, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("force");
        assertThat(call("POST", "/machines/m1/desk/explode", admin, null)
                        .json()
                        .path("error")
                        .asText())
                .contains("not a desk action");
        r = call("POST", "/machines/m2/desk/start", admin, null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.text()).contains("no desk VM").contains("[desk]");
        r = call("POST", "/machines/nosuch/desk/start", admin, null);
        assertThat(r.status()).isEqualTo(404);

        // The agent's own refusals: not in this state (409), a bad argument (400), a failure (502).
        String[][] cases = {
            {"refused", "409", "is stopped"}, {"invalid", "400", "bad cap"}, {"failed", "502", "qemu died"}
        };
        for (String[] c : cases) {
            CompletableFuture<Reply> act = async(() -> call("POST", "/machines/m1/desk/resume", admin, null));
            answer("m1", m1, poll("m1", m1).path("id").asLong(), c[0], c[2], null);
            r = act.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.text()).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.text()).contains(c[2]);
        }

        assertThat(audit("m1"))
                .containsExactly(
                        "alice/user start refused desk actions need an admin token (you are user 'alice')",
                        "admin/admin pause --force refused force: applies only to reimage",
                        "admin/admin resume refused is stopped",
                        "admin/admin resume refused bad cap",
                        "admin/admin resume failed qemu died");
        assertThat(audit("m2")).hasSize(1).allMatch(e -> e.contains("start refused machine 'm2' has no desk VM"));
        assertThat(audit("nosuch")).containsExactly("admin/admin start refused no machine 'nosuch'");

        clock.advance(Duration.ofMinutes(1)); // no heartbeat for a minute: m1 is offline
        r = call("GET", "/machines/m1/desk", admin, null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.text()).contains("offline");
    }

    @Test
    @Timeout(30)
    void anAgentAnswersOnlyForItselfAndOnlyInTheProtocolsShape() throws Exception {
        String m1 = agent("m1", true);
        String m2 = agent("m2", true);
        CompletableFuture<Reply> status = async(() -> call("GET", "/machines/m1/desk", admin, null));
        long id = poll("m1", m1).path("id").asLong();
        assertThat(answer("m1", m2, id, "ok", "from m2", null).status()).isEqualTo(403);
        assertThat(answer("m2", m2, id, "ok", "m1's command, answered by m2", null)
                        .json()
                        .path("delivered")
                        .asBoolean())
                .isFalse();
        assertThat(call(
                                "POST",
                                "/agents/m1/desk-commands/" + id + "/result",
                                m1,
                                JSON.writeValueAsBytes(new DeskCommandResult(id + 1, "ok", "x", null, null)))
                        .status())
                .isEqualTo(400);
        assertThat(answer("m1", m1, id, "splendid", "x", null).status()).isEqualTo(400);
        answer("m1", m1, id, "ok", "read", null);
        assertThat(status.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(id).as("a read's id is not an audit id").isNegative();
        assertThat(audit("m1"))
                .as("a read changes nothing and is not on record")
                .isEmpty();
    }

    @Test
    @Timeout(90)
    void withoutAnAnswerTheAdminHearsWhyAndALateAnswerStillReachesTheRecord() throws Exception {
        agent("m1", true); // never polls: its commands are withdrawn
        String m2 = agent("m2", true); // takes its command and goes quiet
        CompletableFuture<Reply> unfetched = async(() -> call("POST", "/machines/m1/desk/pause", admin, null));
        CompletableFuture<Reply> unfetchedRead = async(() -> call("GET", "/machines/m1/desk", admin, null));
        CompletableFuture<Reply> unanswered = async(() -> call("POST", "/machines/m2/desk/pause", admin, null));
        long id = poll("m2", m2).path("id").asLong();

        Reply r = unfetchedRead.get(40, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.text()).contains("did not pick the status up within 20 s").contains("will not happen");
        r = unfetched.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.text()).contains("did not pick the pause up within 30 s").contains("will not happen");
        r = unanswered.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.text()).contains("has not answered within 30 s").contains("may still finish");
        assertThat(audit("m1"))
                .as("the unanswered read is not on record; the pause is")
                .singleElement()
                .asString()
                .startsWith("admin/admin pause failed the agent did not fetch");
        assertThat(audit("m2"))
                .singleElement()
                .asString()
                .startsWith("admin/admin pause unknown no answer from the agent");
        assertThat(poll("m1", null)).isNull(); // withdrawn: m1's agent never gets them

        assertThat(answer("m2", m2, id, "ok", "paused, late", null)
                        .json()
                        .path("delivered")
                        .asBoolean())
                .isFalse();
        assertThat(audit("m2")).containsExactly("admin/admin pause ok paused, late");
    }

    @Test
    @Timeout(30)
    void theDesksOwnerReadsItsStatusWithTheirOwnTokenAndNoOtherUserDoes() throws Exception {
        String m1 = agent("m1", true);
        assertThat(call("POST", "/machines/m1/owner", admin, JSON.writeValueAsBytes(new OwnerRequest("alice")))
                        .status())
                .isEqualTo(200);
        String alice = userToken("alice");
        String bob = userToken("bob");

        CompletableFuture<Reply> read = async(() -> call("GET", "/machines/m1/desk", alice, null));
        JsonNode command = poll("m1", m1);
        assertThat(command.path("action").asText()).isEqualTo("status");
        answer("m1", m1, command.path("id").asLong(), "ok", "read", null);
        Reply r = read.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("vm").path("state").asText()).isEqualTo("running");

        r = call("GET", "/machines/m1/desk", bob, null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text())
                .contains("its owner's own")
                .contains("you are user 'bob'")
                .contains("alice's desk");
        r = call("POST", "/machines/m1/desk/pause", alice, null);
        assertThat(r.status()).as("the owner reads; only an admin acts").isEqualTo(403);
        assertThat(r.text()).contains("admin token");
        assertThat(audit("m1"))
                .containsExactly(
                        "bob/user status refused a desk's status is for an admin token or its owner's own"
                                + " (you are user 'bob'; it is alice's desk)",
                        "alice/user pause refused desk actions need an admin token (you are user 'alice')");
    }

    @Test
    @Timeout(30)
    void anAdministratorsHoldAndDiscardAreHandedToTheAgentAndRefusedWhereTheyDoNotApply() throws Exception {
        String m1 = agent("m1", true);
        CompletableFuture<Reply> resume = async(() -> call("POST", "/machines/m1/desk/resume?for=2h", admin, null));
        JsonNode command = poll("m1", m1);
        assertThat(command.path("holdSeconds").asLong()).isEqualTo(7200);
        assertThat(command.path("who").asText()).isEqualTo("admin");
        answer("m1", m1, command.path("id").asLong(), "ok", "resumed; held running", null);
        assertThat(resume.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

        CompletableFuture<Reply> off =
                async(() -> call("POST", "/machines/m1/desk/poweroff?discard-saved-state=true", admin, null));
        command = poll("m1", m1);
        assertThat(command.path("discardSavedState").asBoolean()).isTrue();
        answer("m1", m1, command.path("id").asLong(), "ok", "powered off", null);
        assertThat(off.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

        CompletableFuture<Reply> release = async(() -> call("POST", "/machines/m1/desk/release", admin, null));
        command = poll("m1", m1);
        assertThat(command.path("action").asText()).isEqualTo("release");
        answer("m1", m1, command.path("id").asLong(), "ok", "released", null);
        assertThat(release.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

        Reply r = call("POST", "/machines/m1/desk/stop?for=2h", admin, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("for");
        r = call("POST", "/machines/m1/desk/pause?discard-saved-state=true", admin, null);
        assertThat(r.json().path("field").asText()).isEqualTo("discard-saved-state");
        r = call("POST", "/machines/m1/desk/pause?for=soon", admin, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("not a duration");
        assertThat(audit("m1"))
                .containsExactly(
                        "admin/admin resume --for 2h ok resumed; held running",
                        "admin/admin poweroff --discard-saved-state ok powered off",
                        "admin/admin release ok released",
                        "admin/admin stop --for 2h refused for: applies only to start, resume, restore, pause and"
                                + " save (the actions that hold)",
                        "admin/admin pause --discard-saved-state refused discard-saved-state: applies only to poweroff");
    }

    @Test
    @Timeout(30)
    void anAgentsDeskEventsAreRecordedOnceEachAndOnlyForItself() throws Exception {
        String m1 = agent("m1", true);
        String m2 = agent("m2", true);
        DeskEvent pause = new DeskEvent(
                "o-1",
                Instant.parse("2026-11-24T09:59:00Z"),
                "keeper",
                "keeper",
                "pause",
                "",
                "ok",
                "squeezed to 64 MiB, then paused: nobody here for 40m00s");
        DeskEvent died = new DeskEvent(
                "o-2",
                Instant.parse("2026-11-24T09:59:30Z"),
                "vm",
                "vm",
                "failed",
                "",
                "failed",
                "qemu (pid 42) killed by SIGKILL (exit status 137)");
        Reply r = call("POST", "/agents/m1/desk-events", m1, JSON.writeValueAsBytes(new DeskEventList(List.of(pause))));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("recorded").asInt()).isEqualTo(1);
        // The answer was lost: the agent sends both again; the first is not recorded twice.
        r = call("POST", "/agents/m1/desk-events", m1, JSON.writeValueAsBytes(new DeskEventList(List.of(pause, died))));
        assertThat(r.json().path("recorded").asInt()).isEqualTo(1);
        assertThat(call("POST", "/agents/m1/desk-events", m2, JSON.writeValueAsBytes(new DeskEventList(List.of(died))))
                        .status())
                .isEqualTo(403);
        DeskEvent admin = new DeskEvent("o-3", Instant.now(), "admin", "admin", "poweroff", "", "ok", "forged");
        r = call("POST", "/agents/m1/desk-events", m1, JSON.writeValueAsBytes(new DeskEventList(List.of(admin))));
        assertThat(r.status())
                .as("an agent cannot write an administrator's entry")
                .isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("role");

        assertThat(audit("m1"))
                .containsExactly(
                        "keeper/keeper pause ok squeezed to 64 MiB, then paused: nobody here for 40m00s",
                        "vm/vm failed failed qemu (pid 42) killed by SIGKILL (exit status 137)");
        assertThat(audit("m2")).isEmpty();
    }

    @Test
    @Timeout(30)
    void theOwnerAtTheDeskIsDeclaredAwayAndBackThroughTheirAgentAndNobodyElseIs() throws Exception {
        String m1 = agent("m1", true);
        call("POST", "/machines/m1/owner", admin, JSON.writeValueAsBytes(new OwnerRequest("alice")));
        Reply r = call(
                "POST", "/agents/m1/owner/away", m1, JSON.writeValueAsBytes(new OwnerAtDesk("alice", "3d", "trip")));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("absence").path("by").asText()).isEqualTo("alice");
        assertThat(r.json().path("absence").path("reason").asText()).isEqualTo("trip");
        r = call("POST", "/agents/m1/owner/away", m1, JSON.writeValueAsBytes(new OwnerAtDesk("bob", "3d", null)));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("alice's desk, not bob's");
        r = call("POST", "/agents/m1/owner/back", m1, JSON.writeValueAsBytes(new OwnerAtDesk("alice", null, null)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("absence").isMissingNode()
                        || r.json().path("absence").isNull())
                .isTrue();
        String alice = userToken("alice");
        assertThat(call(
                                "POST",
                                "/agents/m1/owner/back",
                                alice,
                                JSON.writeValueAsBytes(new OwnerAtDesk("alice", null, null)))
                        .status())
                .as("only the desk's agent relays")
                .isEqualTo(403);
    }

    private String userToken(String name) throws Exception {
        return JSON.readTree(call("POST", "/tokens", admin, JSON.writeValueAsBytes(new TokenRequest(name, false)))
                        .body())
                .path("token")
                .asText();
    }

    // --- the agents' side ---------------------------------------------------------------------

    private final List<String[]> agents = new ArrayList<>();

    /** Enrolls {@code name} and beats once, with or without a desk VM; returns its token. */
    private String agent(String name, boolean withDesk) throws Exception {
        String enroll = Files.readString(tmp.resolve("enroll.token")).trim();
        JsonNode e = call(
                        "POST",
                        "/agents/enroll",
                        enroll,
                        JSON.writeValueAsBytes(new EnrollRequest(name, 2, 1L << 30, "nice-only", null, "t")))
                .json();
        String token = e.path("agentToken").asText();
        Reply beat = call(
                "POST",
                "/agents/" + name + "/heartbeat",
                token,
                JSON.writeValueAsBytes(new Heartbeat(
                        2, 1L << 30, "nice-only", null, List.of(), null, null, withDesk ? vm("stopped") : null)));
        assertThat(beat.status()).as(beat.text()).isEqualTo(200);
        agents.add(new String[] {name, token});
        return token;
    }

    /** The next desk command for {@code machine} (waiting up to 10 s), or null; with a null token, m's own. */
    private JsonNode poll(String machine, String token) throws Exception {
        String t = token;
        if (t == null)
            t = agents.stream().filter(a -> a[0].equals(machine)).findFirst().orElseThrow()[1];
        Reply r = call("GET", "/agents/" + machine + "/desk-commands?waitMs=" + (token == null ? 0 : 10_000), t, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode commands = r.json().path("commands");
        return commands.isEmpty() ? null : commands.get(0);
    }

    private Reply answer(String machine, String token, long id, String outcome, String message, String png)
            throws Exception {
        DeskVmView vm = vm(outcome.equals("ok") && message.equals("paused") ? "paused" : "running");
        return call(
                "POST",
                "/agents/" + machine + "/desk-commands/" + id + "/result",
                token,
                JSON.writeValueAsBytes(new DeskCommandResult(id, outcome, message, vm, png)));
    }

    private static DeskVmView vm(String state) {
        return new DeskVmView(
                "d",
                "qemu",
                state,
                null,
                "tcg",
                "tcg: set",
                null,
                null,
                "/o.qcow2",
                false,
                null,
                null,
                null,
                128,
                1,
                null,
                null,
                List.of(),
                "none",
                null,
                Instant.now(),
                null,
                null,
                null,
                null);
    }

    /** The machine's audit log as "principal/role action [args] result message" lines. */
    private List<String> audit(String machine) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : call("GET", "/machines/" + machine + "/desk/audit", admin, null)
                .json()
                .path("entries")) {
            String args = e.path("arguments").asText();
            out.add(e.path("principal").asText() + "/" + e.path("role").asText() + " "
                    + e.path("action").asText() + (args.isEmpty() ? "" : " " + args) + " "
                    + e.path("result").asText() + " " + e.path("message").asText());
        }
        return out;
    }

    // --- HTTP ---------------------------------------------------------------------------------

    private interface Call {
        Reply run() throws Exception;
    }

    private static CompletableFuture<Reply> async(Call c) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return c.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Reply call(String method, String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(coordinator.url() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(
                r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
}
