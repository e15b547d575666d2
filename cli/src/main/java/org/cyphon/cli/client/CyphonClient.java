package org.cyphon.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.cyphon.core.protocol.ErrorBody;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.MachineList;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.OverloadRequest;
import org.cyphon.core.protocol.OverloadView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.TokenReply;
import org.cyphon.core.protocol.TokenRequest;

/**
 * The user side of the coordinator's HTTP API (docs/api.md, "Users"), one method per call.
 *
 * <p>Every method either returns the decoded reply or throws a {@link CliFailure}:
 * {@link ApiRefusal} when the coordinator answered with an error body, {@link CoordinatorUnreachable}
 * when it could not be asked or did not answer in the API's shape. Callers therefore never see
 * {@code IOException}s or Jackson exceptions. Thread-safe.
 */
public final class CyphonClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // Generous: a loaded coordinator committing a 10 000-job submit may take a while.
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Endpoint endpoint;
    private final HttpClient http;
    /** Index in {@code endpoint.urls()} of the coordinator in use: the next one after a connection failure. */
    private final java.util.concurrent.atomic.AtomicInteger inUse = new java.util.concurrent.atomic.AtomicInteger();

    public CyphonClient(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.http = endpoint.httpClient(CONNECT_TIMEOUT);
    }

    /** The coordinator this client talks to. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@code POST /jobs}: the new job ids, in index order, once committed. */
    public List<Long> submit(JobSubmission submission) {
        return call(post("/jobs", submission), SubmitReply.class).ids();
    }

    /** {@code GET /jobs} with filters; newest last. */
    public JobList jobs(JobQuery query) {
        return call(get("/jobs" + query.toQueryString()), JobList.class);
    }

    /** {@code GET /jobs/{id}}: one job with its attempts. */
    public JobView job(long id) {
        return call(get("/jobs/" + id), JobView.class);
    }

    /** {@code GET /jobs/{id}/events}: the job's history, oldest first. */
    public EventList events(long id) {
        return call(get("/jobs/" + id + "/events"), EventList.class);
    }

    /** {@code POST /jobs/batch}: several submissions all or nothing, numbered as one cluster. */
    public List<Long> submitBatch(org.cyphon.core.protocol.JobBatch batch) {
        return call(post("/jobs/batch", batch), SubmitReply.class).ids();
    }

    /**
     * {@code POST /jobs/cancel|hold|release} with filters: the action on every matching job of the
     * owner (the caller when null), in one request.
     *
     * @param action "cancel", "hold" or "release"
     */
    public org.cyphon.core.protocol.JobsChanged changeAll(String action, JobQuery filter, boolean all) {
        String q = filter.toQueryString();
        if (all) q += (q.isEmpty() ? "?" : "&") + "all=true";
        return call(post("/jobs/" + action + q, null), org.cyphon.core.protocol.JobsChanged.class);
    }

    /** {@code POST /jobs/{id}/cancel}. */
    public JobView cancel(long id) {
        return call(post("/jobs/" + id + "/cancel", null), JobView.class);
    }

    /** {@code POST /jobs/{id}/hold}. */
    public JobView hold(long id) {
        return call(post("/jobs/" + id + "/hold", null), JobView.class);
    }

    /** {@code POST /jobs/{id}/release}. */
    public JobView release(long id) {
        return call(post("/jobs/" + id + "/release", null), JobView.class);
    }

    /**
     * {@code GET /jobs/{id}/logs}: output bytes from {@code offset}.
     *
     * @param stream  "stdout" or "stderr"
     * @param attempt the attempt number, or null for the latest
     */
    public LogChunk logs(long id, String stream, long offset, Integer attempt) {
        String path = "/jobs/" + id + "/logs?stream=" + stream + "&offset=" + offset
                + (attempt != null ? "&attempt=" + attempt : "");
        HttpResponse<byte[]> reply = send(get(path));
        failUnlessSuccess(reply);
        long size = reply.headers()
                .firstValue("X-Cyphon-Log-Size")
                .map(CyphonClient::parseLongOrMinusOne)
                .orElse(-1L);
        boolean fin = reply.headers()
                .firstValue("X-Cyphon-Log-Final")
                .map("true"::equalsIgnoreCase)
                .orElse(false);
        return new LogChunk(reply.body(), size, fin);
    }

    /** {@code GET /machines}. */
    public MachineList machines() {
        return call(get("/machines"), MachineList.class);
    }

    /** {@code GET /machines/{name}}. */
    public MachineView machine(String name) {
        return call(get("/machines/" + pathSegment(name)), MachineView.class);
    }

    /** {@code POST /machines/{name}/drain} (admin): the machine takes no new work. */
    public MachineView drain(String name) {
        return call(post("/machines/" + pathSegment(name) + "/drain", null), MachineView.class);
    }

    /** {@code POST /machines/{name}/labels} (admin): set and remove the labels an admin gives a machine. */
    public MachineView label(String name, org.cyphon.core.protocol.LabelRequest change) {
        return call(post("/machines/" + pathSegment(name) + "/labels", change), MachineView.class);
    }

    /** {@code GET /coordinators}: the pool's coordinators and who leads. */
    public org.cyphon.core.protocol.CoordinatorList coordinators() {
        return call(get("/coordinators"), org.cyphon.core.protocol.CoordinatorList.class);
    }

    /** {@code GET /users}: fair share, each submitter's decayed usage. */
    public org.cyphon.core.protocol.ShareList users() {
        return call(get("/users"), org.cyphon.core.protocol.ShareList.class);
    }

    /** {@code POST /machines/{name}/undrain} (admin). */
    public MachineView undrain(String name) {
        return call(post("/machines/" + pathSegment(name) + "/undrain", null), MachineView.class);
    }

    /**
     * {@code GET /whoami}: the principal behind this client's token, or null when the coordinator
     * does not offer that call (it is a proposed addition to docs/api.md).
     */
    public Caller whoami() {
        try {
            return call(get("/whoami"), Caller.class);
        } catch (ApiRefusal e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }

    /** {@code POST /tokens} (admin): mints a token for user {@code name}. */
    public TokenReply createToken(String name, boolean admin) {
        return call(post("/tokens", new TokenRequest(name, admin)), TokenReply.class);
    }

    /** {@code POST /tokens} (admin): a token for user {@code name} that expires after {@code expires} (null: never). */
    public TokenReply createToken(String name, boolean admin, String expires) {
        return call(post("/tokens", new TokenRequest(name, admin, expires)), TokenReply.class);
    }

    /** {@code GET /tokens} (admin): every token, never the secrets. */
    public org.cyphon.core.protocol.TokenList tokens() {
        return call(get("/tokens"), org.cyphon.core.protocol.TokenList.class);
    }

    /** {@code DELETE /tokens/NAME} (admin): every token of user {@code name}; returns how many. */
    public int revokeTokens(String name) {
        return call(delete("/tokens/" + pathSegment(name)), com.fasterxml.jackson.databind.JsonNode.class)
                .path("revoked")
                .asInt();
    }

    /** {@code DELETE /tokens?id=ID} (admin): the one token with this id. */
    public int revokeToken(String id) {
        return call(
                        delete("/tokens?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)),
                        com.fasterxml.jackson.databind.JsonNode.class)
                .path("revoked")
                .asInt();
    }

    /** {@code POST /admin/join-secrets} (admin): a new join secret. */
    public org.cyphon.core.protocol.JoinSecretReply createJoinSecret(String expires, Integer uses) {
        return call(
                post("/admin/join-secrets", new org.cyphon.core.protocol.JoinSecretRequest(expires, uses)),
                org.cyphon.core.protocol.JoinSecretReply.class);
    }

    /** {@code GET /admin/join-secrets} (admin). */
    public org.cyphon.core.protocol.JoinSecretList joinSecrets() {
        return call(get("/admin/join-secrets"), org.cyphon.core.protocol.JoinSecretList.class);
    }

    /** {@code DELETE /admin/join-secrets/NAME} (admin). */
    public org.cyphon.core.protocol.JoinSecretView revokeJoinSecret(String name) {
        return call(delete("/admin/join-secrets/" + pathSegment(name)), org.cyphon.core.protocol.JoinSecretView.class);
    }

    /** {@code POST /machines/NAME/forget|approve|rotate-credentials} (admin): what it did, as JSON. */
    public com.fasterxml.jackson.databind.JsonNode machineIdentity(String name, String action) {
        return call(
                post("/machines/" + pathSegment(name) + "/" + action, null),
                com.fasterxml.jackson.databind.JsonNode.class);
    }

    /** {@code POST /machines/{name}/wake} (admin): Wake-on-LAN magic packets to the desk's cards. */
    public org.cyphon.core.protocol.WakeReply wake(String name) {
        return call(post("/machines/" + pathSegment(name) + "/wake", null), org.cyphon.core.protocol.WakeReply.class);
    }

    /** {@code GET /overload}: the pool's overload mode. */
    public OverloadView overload() {
        return call(get("/overload"), OverloadView.class);
    }

    /** {@code POST /overload} (admin): on until {@code until} (an instant or a duration such as 2h). */
    public OverloadView overloadOn(String until, String reason) {
        return call(post("/overload", new OverloadRequest(until, reason)), OverloadView.class);
    }

    /** {@code DELETE /overload} (admin): off now. */
    public OverloadView overloadOff() {
        return call(request("/overload").DELETE().build(), OverloadView.class);
    }

    /** {@code POST /machines/{name}/away}: the desk's owner is away until {@code until} (a date, date-time or duration). */
    public MachineView away(String name, String until, String reason) {
        return call(
                post(
                        "/machines/" + pathSegment(name) + "/away",
                        new org.cyphon.core.protocol.AbsenceRequest(until, reason)),
                MachineView.class);
    }

    /** {@code POST /machines/{name}/back}: ends the declared absence. */
    public MachineView back(String name) {
        return call(post("/machines/" + pathSegment(name) + "/back", null), MachineView.class);
    }

    /** {@code POST /machines/{name}/owner} (admin): whose desk it is; null: nobody's. */
    public MachineView setOwner(String name, String owner) {
        return call(
                post("/machines/" + pathSegment(name) + "/owner", new org.cyphon.core.protocol.OwnerRequest(owner)),
                MachineView.class);
    }

    /** {@code GET /history} (admin): the presence history, as text in the simulator's format. */
    public String history(String since, String machine) {
        StringBuilder q = new StringBuilder();
        if (since != null)
            q.append(q.isEmpty() ? "?" : "&").append("since=").append(URLEncoder.encode(since, StandardCharsets.UTF_8));
        if (machine != null)
            q.append(q.isEmpty() ? "?" : "&")
                    .append("machine=")
                    .append(URLEncoder.encode(machine, StandardCharsets.UTF_8));
        HttpResponse<byte[]> reply = send(get("/history" + q));
        failUnlessSuccess(reply);
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    /** {@code POST /files/query}: which of these contents the coordinator lacks for this user, and from which byte. */
    public org.cyphon.core.protocol.BlobQueryReply queryFiles(org.cyphon.core.protocol.BlobQuery query) {
        return call(post("/files/query", query), org.cyphon.core.protocol.BlobQueryReply.class);
    }

    /** {@code GET /files/shared}: the shared storage online desks have mounted (empty from a coordinator without it). */
    public java.util.List<String> sharedPaths() {
        try {
            return call(get("/files/shared"), org.cyphon.core.protocol.SharedPathList.class)
                    .paths();
        } catch (ApiRefusal e) {
            if (e.status() == 404) return List.of();
            throw e;
        }
    }

    /**
     * {@code PUT /files/{sha256}?size=&offset=}: sends {@code file} from byte {@code offset} on,
     * streamed from disk (never whole in memory).
     *
     * @return the bytes the coordinator holds of the content now; {@code size} once it is complete
     * @throws CoordinatorUnreachable the connection was cut: ask where to continue ({@link #queryFiles})
     */
    public long uploadFile(String sha256, long size, long offset, java.nio.file.Path file) {
        long length = size - offset;
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> openAt(file, offset, length)), length);
        HttpRequest r = request("/files/" + sha256 + "?size=" + size + "&offset=" + offset)
                .timeout(transferTimeout(length))
                .header("Content-Type", "application/octet-stream")
                .PUT(body)
                .build();
        return call(r, com.fasterxml.jackson.databind.JsonNode.class)
                .path("received")
                .asLong();
    }

    /** {@code GET /jobs/{id}/outputs}: the job's stored output files (its owner and admins only). */
    public org.cyphon.core.protocol.JobOutputs outputs(long id) {
        return call(get("/jobs/" + id + "/outputs"), org.cyphon.core.protocol.JobOutputs.class);
    }

    /**
     * {@code GET /jobs/{id}/outputs/{sha256}}: appends the content to {@code part} from the part's
     * current size on (a {@code Range} request), streamed to disk, until it holds {@code size} bytes.
     *
     * @throws CoordinatorUnreachable the connection was cut: what arrived stays in {@code part}
     */
    public void downloadOutput(long id, String sha256, long size, java.nio.file.Path part) {
        long have;
        try {
            have = java.nio.file.Files.exists(part) ? java.nio.file.Files.size(part) : 0;
        } catch (IOException e) {
            throw new InvalidInput("cannot read " + part + ": " + e.getMessage());
        }
        if (have >= size) return;
        HttpRequest.Builder b = request("/jobs/" + id + "/outputs/" + sha256).GET();
        if (have > 0) b.header("Range", "bytes=" + have + "-");
        HttpResponse<java.io.InputStream> reply;
        try {
            reply = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachable("interrupted while talking to the coordinator at " + endpoint.url(), e);
        } catch (IOException e) {
            throw new CoordinatorUnreachable("cannot reach the coordinator at " + endpoint.url() + ": " + reason(e), e);
        }
        int status = reply.statusCode();
        if (status != 200 && status != 206) {
            byte[] err;
            try (java.io.InputStream in = reply.body()) {
                err = in.readAllBytes();
            } catch (IOException e) {
                err = new byte[0];
            }
            failUnlessSuccess(new ByteReply(reply, err));
        }
        long from = status == 206 ? have : 0;
        try (java.io.InputStream in = reply.body();
                java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(
                        part, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            out.truncate(from);
            out.position(from);
            byte[] buf = new byte[256 * 1024];
            java.nio.ByteBuffer wrap = java.nio.ByteBuffer.wrap(buf);
            long at = from;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                wrap.clear().limit(n);
                while (wrap.hasRemaining()) out.write(wrap);
                at += n;
            }
            if (at < size) throw new IOException("cut short at byte " + at + " of " + size);
        } catch (IOException e) {
            throw new CoordinatorUnreachable("download from " + endpoint.url() + " interrupted: " + reason(e), e);
        }
    }

    /** A file from {@code offset}, {@code length} bytes of it. */
    private static java.io.InputStream openAt(java.nio.file.Path file, long offset, long length) {
        try {
            java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
            ch.position(offset);
            return new java.io.BufferedInputStream(
                    new java.io.FilterInputStream(java.nio.channels.Channels.newInputStream(ch)) {
                        private long left = length;

                        @Override
                        public int read() throws IOException {
                            if (left <= 0) return -1;
                            int b = super.read();
                            if (b >= 0) left--;
                            return b;
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (left <= 0) return -1;
                            int n = super.read(b, off, (int) Math.min(len, left));
                            if (n > 0) left -= n;
                            return n;
                        }
                    },
                    256 * 1024);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A big file over a slow office link: a minute, plus a second per MiB. */
    private static Duration transferTimeout(long bytes) {
        return Duration.ofSeconds(60 + (bytes >> 20));
    }

    /** An error reply read from a streamed response, in the shape {@link #failUnlessSuccess} reads. */
    private record ByteReply(HttpResponse<?> base, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return base.statusCode();
        }

        @Override
        public HttpRequest request() {
            return base.request();
        }

        @Override
        public java.util.Optional<HttpResponse<byte[]>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return base.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return base.sslSession();
        }

        @Override
        public URI uri() {
            return base.uri();
        }

        @Override
        public HttpClient.Version version() {
            return base.version();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(endpoint.urls().get(inUse.get()) + "/api/v1" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + endpoint.token())
                .header("User-Agent", "cyphon-cli");
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest delete(String path) {
        return request(path).DELETE().build();
    }

    private HttpRequest post(String path, Object body) {
        HttpRequest.Builder b = request(path);
        if (body == null) return b.POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            return b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.MAPPER.writeValueAsBytes(body)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
        }
    }

    private <T> T call(HttpRequest request, Class<T> type) {
        HttpResponse<byte[]> reply = send(request);
        failUnlessSuccess(reply);
        try {
            return WireJson.MAPPER.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new CoordinatorUnreachable(
                    "unexpected reply from " + endpoint.url() + " to " + request.method() + " "
                            + request.uri().getPath() + " (is it a Cyphon coordinator?): " + firstLine(e.getMessage()),
                    e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        List<URI> urls = endpoint.urls();
        HttpRequest r = request;
        for (int tried = 1; tried < urls.size(); tried++) {
            int at = inUse.get();
            try {
                return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinatorUnreachable("interrupted while talking to the coordinator at " + urls.get(at), e);
            } catch (IOException e) {
                // Another coordinator of the pool answers the same: move on when this one is down. A
                // request that may have reached it is repeated only when repeating it changes nothing.
                boolean neverSent = e instanceof java.net.ConnectException;
                if (!neverSent && !"GET".equals(r.method())) throw unreachable(urls.get(at), e);
                inUse.compareAndSet(at, (at + 1) % urls.size());
                URI next = urls.get(inUse.get());
                URI was = r.uri();
                String rest = was.getRawPath().substring(was.getRawPath().indexOf("/api/v1"))
                        + (was.getRawQuery() == null ? "" : "?" + was.getRawQuery());
                r = HttpRequest.newBuilder(r, (name, value) -> true)
                        .uri(URI.create(next + rest))
                        .build();
            }
        }
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachable("interrupted while talking to the coordinator at " + endpoint.url(), e);
        } catch (IOException e) {
            throw new CoordinatorUnreachable("cannot reach the coordinator at " + endpoint.url() + ": " + reason(e), e);
        }
    }

    private static CoordinatorUnreachable unreachable(URI url, IOException e) {
        return new CoordinatorUnreachable("cannot reach the coordinator at " + url + ": " + reason(e), e);
    }

    private void failUnlessSuccess(HttpResponse<byte[]> reply) {
        int status = reply.statusCode();
        if (status >= 200 && status < 300) return;
        ErrorBody body;
        try {
            body = WireJson.MAPPER.readValue(reply.body(), ErrorBody.class);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || body.error() == null) {
            // Not our error shape: a proxy, or a URL that is not a coordinator. Say what came back.
            String text = new String(reply.body(), StandardCharsets.UTF_8).strip();
            body = new ErrorBody("HTTP " + status + (text.isEmpty() ? "" : ": " + abbreviate(firstLine(text))), null);
        }
        throw new ApiRefusal(status, body);
    }

    /** Why a connection failed, in words: the JDK often leaves the message of a refused connection empty. */
    static String reason(IOException e) {
        if (e instanceof HttpConnectTimeoutException) return "connection timed out";
        String tls = TlsFailure.explain(e);
        if (tls != null) return tls;
        if (e instanceof HttpTimeoutException) return "no reply within " + REQUEST_TIMEOUT.toSeconds() + "s";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        if (e instanceof ConnectException) return "connection refused";
        return e.getClass().getSimpleName();
    }

    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static long parseLongOrMinusOne(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
