package org.cyphon.agent.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.ErrorBody;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.WorkReply;

/**
 * The agent's side of the agent API (docs/api.md, "Agents"). Every call is agent-initiated, so
 * agents behind office NAT and firewalls need no inbound port.
 *
 * <p>Thread-safe. Errors come in two kinds the caller treats differently:
 * {@link CoordinatorUnreachableException} (retry later, keep jobs running) and
 * {@link CoordinatorRefusedException} (a 4xx: the request or our credentials are wrong).
 *
 * <p>Blocking HTTP/1.1 through {@link HttpURLConnection} (keep-alive connections reused, no proxy),
 * on the calling thread: the agent's few calls a few seconds apart need no asynchronous client.
 * The JDK's {@code java.net.http} client costs an agent that lives on someone's desk a selector
 * thread and a pool that wake on every call, and some 400 classes for its whole life (about a
 * fifth of the idle agent's class memory, bench/run agent-idle); this one loads a third of that,
 * and TLS only when the coordinator's URL is {@code https}. The calls run at the priority of the
 * thread that makes them.
 *
 * <p>Over {@code https} the coordinator's chain is checked against the pinned CA
 * ({@link PinnedCaTrustManager}) before a byte of a request, token included, is sent; plain HTTP
 * is refused at construction unless the coordinator is on this machine or the configuration says
 * {@code insecure_http} ({@link CoordinatorTransport}).
 */
public final class CoordinatorClient implements CoordinatorLink {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final URI base;
    private final SSLSocketFactory tls; // one for the client's life, so keep-alive connections are reused
    private final ObjectMapper json;
    private volatile String machine;
    private volatile String agentToken;

    /** A client for a loopback or https coordinator, checked against the system's CAs. */
    public CoordinatorClient(URI coordinator) {
        this(CoordinatorTransport.of(coordinator, CoordinatorTrust.DEFAULT, "insecure_http = true in agent.toml"));
    }

    /** A client over a checked transport: https verified against its pin, or plain HTTP it allows. */
    public CoordinatorClient(CoordinatorTransport transport) {
        this.base = URI.create(transport.url().toString().replaceAll("/+$", "") + "/api/v1/");
        this.tls = transport.ssl() == null ? null : transport.ssl().getSocketFactory();
        this.json = new ObjectMapper()
                .registerModule(InstantJson.module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Replies may grow fields in later versions; an older agent must keep working.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** Uses credentials kept from an earlier enrollment. */
    @Override
    public void useCredentials(String machine, String agentToken) {
        this.machine = machine;
        this.agentToken = agentToken;
    }

    @Override
    public EnrollReply enroll(String enrollToken, EnrollRequest request)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        EnrollReply reply = postJson("agents/enroll", request, enrollToken, EnrollReply.class);
        useCredentials(reply.machine(), reply.agentToken());
        return reply;
    }

    @Override
    public HeartbeatReply heartbeat(Heartbeat beat)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return postJson(agentPath("heartbeat"), beat, agentToken, HeartbeatReply.class);
    }

    @Override
    public org.cyphon.core.protocol.SleepReply goingToSleep(org.cyphon.core.protocol.SleepNotice notice)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return postJson(agentPath("sleep"), notice, agentToken, org.cyphon.core.protocol.SleepReply.class);
    }

    /** Long poll: returns as soon as work is assigned, or empty after about {@code wait}. */
    @Override
    public WorkReply pollWork(Duration wait) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        String path = agentPath("work") + "?waitMs=" + wait.toMillis();
        HttpURLConnection c = open(path, "GET", agentToken, wait.plus(CALL_TIMEOUT));
        return read(c, path, WorkReply.class);
    }

    /** Stores {@code bytes} at {@code offset} of an attempt's output stream; idempotent. */
    @Override
    public void uploadOutput(long fencingToken, String stream, long offset, byte[] bytes)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        String path = agentPath("attempts/" + fencingToken + "/output/" + stream) + "?offset=" + offset;
        HttpURLConnection c = open(path, "POST", agentToken, CALL_TIMEOUT);
        send(c, "application/octet-stream", bytes);
        read(c, path, null);
    }

    /**
     * Stores the archive file as the attempt's job's checkpoint ({@code PUT .../checkpoint}),
     * streamed from disk. Sent with {@code Expect: 100-continue}, so a refusal (409 stale token,
     * 413 over {@code jobs.max_checkpoint_bytes}) comes back before the body is sent.
     *
     * @return bytes the coordinator stored
     */
    @Override
    public long uploadCheckpoint(long fencingToken, Path archive)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        long size;
        try {
            size = Files.size(archive);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the checkpoint archive " + archive + ": " + e.getMessage(), e);
        }
        String path = agentPath("attempts/" + fencingToken + "/checkpoint");
        HttpURLConnection c = open(path, "PUT", agentToken, transferTimeout(size));
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(size);
        c.setRequestProperty("Content-Type", "application/x-tar");
        c.setRequestProperty("Expect", "100-continue");
        try (OutputStream out = c.getOutputStream()) {
            Files.copy(archive, out);
        } catch (ProtocolException refusedBeforeTheBody) {
            int status = expectAnswer(c);
            if (status >= 400 && status < 500) throw refusal(status);
            throw new CoordinatorUnreachableException(
                    "the coordinator answered HTTP " + status + " before the checkpoint was sent",
                    refusedBeforeTheBody);
        } catch (IOException e) {
            c.disconnect();
            throw unreachable(e);
        }
        StoredReply r = read(c, path, StoredReply.class);
        return r == null ? size : r.stored();
    }

    /**
     * Fetches the attempt's job's latest checkpoint into {@code dest} ({@code GET .../checkpoint}).
     *
     * @return false (and {@code dest} untouched) when the coordinator holds none
     */
    @Override
    public boolean downloadCheckpoint(long fencingToken, Path dest)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        String path = agentPath("attempts/" + fencingToken + "/checkpoint");
        // The timeout bounds each read, not the transfer: the body streams to disk for as long as it takes.
        HttpURLConnection c = open(path, "GET", agentToken, CALL_TIMEOUT);
        int status = status(c);
        if (status == 204) {
            read(c, path, null);
            return false;
        }
        if (status != 200) {
            read(c, path, null); // throws for the refusal, or reads an unexpected success to the end
            throw new CoordinatorUnreachableException("unexpected HTTP " + status + " from " + path, null);
        }
        String declared = c.getHeaderField("X-Cyphon-Checkpoint-Size");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            c.disconnect();
            throw new CoordinatorUnreachableException("checkpoint download cut short: " + e.getMessage(), e);
        }
        try {
            if (declared != null && Long.parseLong(declared) != Files.size(dest)) {
                throw new CoordinatorUnreachableException(
                        "checkpoint download cut short: " + Files.size(dest) + " of " + declared + " bytes", null);
            }
        } catch (IOException | NumberFormatException e) {
            throw new CoordinatorUnreachableException("cannot check the downloaded checkpoint: " + e.getMessage(), e);
        }
        return true;
    }

    /**
     * The final status the coordinator answered an {@code Expect: 100-continue} with (the archive
     * was not sent), or -1. Already read by HttpURLConnection: no I/O. The connection is closed:
     * the body it announced was never sent, so it cannot carry another request.
     */
    private static int expectAnswer(HttpURLConnection c) {
        try {
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        } finally {
            c.disconnect();
        }
    }

    /**
     * A refusal of an upload before its body: HttpURLConnection keeps the status but not the body
     * that explained it, so the explanation is ours, from the status (the route's refusals,
     * docs/api.md).
     */
    private static CoordinatorRefusedException refusal(int status) {
        return switch (status) {
            case 413 ->
                new CoordinatorRefusedException(
                        413, "body: the checkpoint is over the coordinator's jobs.max_checkpoint_bytes limit", "body");
            case 409 ->
                new CoordinatorRefusedException(409, "stale attempt: no longer the job's current attempt", null);
            default -> new CoordinatorRefusedException(status, "refused (HTTP " + status + ")", null);
        };
    }

    /** {@code {"stored": N}}. */
    record StoredReply(long stored) {}

    /** A big archive over a slow office link: a minute, plus a second per MiB. */
    private static Duration transferTimeout(long bytes) {
        return Duration.ofSeconds(60 + (bytes >> 20));
    }

    @Override
    public ReportReply report(ReportBatch batch) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return postJson(agentPath("reports"), batch, agentToken, ReportReply.class);
    }

    @Override
    public org.cyphon.core.protocol.BlobQueryReply queryBlobs(
            long fencingToken, org.cyphon.core.protocol.BlobQuery query)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return postJson(
                agentPath("attempts/" + fencingToken + "/blobs/query"),
                query,
                agentToken,
                org.cyphon.core.protocol.BlobQueryReply.class);
    }

    /** {@code {"received": N, "complete": B}}. */
    record ReceivedReply(long received, boolean complete) {}

    @Override
    public long uploadBlob(
            long fencingToken, String sha256, long size, long offset, java.nio.channels.SeekableByteChannel from)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        String path =
                agentPath("attempts/" + fencingToken + "/blobs/" + sha256) + "?size=" + size + "&offset=" + offset;
        long length = size - offset;
        HttpURLConnection c = open(path, "PUT", agentToken, transferTimeout(length));
        c.setDoOutput(true);
        // Streamed: HttpURLConnection would otherwise keep the whole body in memory to count it.
        c.setFixedLengthStreamingMode(length);
        c.setRequestProperty("Content-Type", "application/octet-stream");
        c.setRequestProperty("Expect", "100-continue");
        try (OutputStream out = c.getOutputStream()) {
            from.position(offset);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(256 * 1024);
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = from.read(buf);
                if (n < 0) throw new java.io.EOFException("the file shrank while it was sent");
                out.write(buf.array(), 0, n);
                left -= n;
            }
        } catch (ProtocolException refusedBeforeTheBody) {
            int status = expectAnswer(c);
            if (status >= 400 && status < 500)
                throw new CoordinatorRefusedException(status, "upload refused (HTTP " + status + ")", null);
            throw new CoordinatorUnreachableException(
                    "the coordinator answered HTTP " + status + " before the file was sent", refusedBeforeTheBody);
        } catch (java.io.EOFException shrank) {
            c.disconnect();
            throw new CoordinatorRefusedException(400, sha256 + ": " + shrank.getMessage(), "body");
        } catch (IOException e) {
            c.disconnect();
            throw unreachable(e);
        }
        ReceivedReply r = read(c, path, ReceivedReply.class);
        return r == null ? size : r.received();
    }

    @Override
    public void downloadBlob(long fencingToken, String sha256, long size, Path part)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        long have;
        try {
            have = Files.exists(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + part + ": " + e.getMessage(), e);
        }
        if (have > size) throw new IllegalStateException(part + " holds more than the " + size + " bytes expected");
        if (have == size) return;
        String path = agentPath("attempts/" + fencingToken + "/blobs/" + sha256);
        // The timeout bounds each read, not the transfer: the body streams to disk for as long as it takes.
        HttpURLConnection c = open(path, "GET", agentToken, CALL_TIMEOUT);
        if (have > 0) c.setRequestProperty("Range", "bytes=" + have + "-");
        int status = status(c);
        if (status != 200 && status != 206) {
            read(c, path, null); // throws for the refusal, or reads an unexpected success to the end
            throw new CoordinatorUnreachableException("unexpected HTTP " + status + " from " + path, null);
        }
        long from = status == 206 ? have : 0; // a server that ignored the Range sends it all again
        try (InputStream in = c.getInputStream();
                java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(
                        part, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            out.truncate(from);
            out.position(from);
            byte[] buf = new byte[256 * 1024];
            java.nio.ByteBuffer wrap = java.nio.ByteBuffer.wrap(buf);
            long at = from;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (at + n > size)
                    throw new IOException("the coordinator sent more than the " + size + " bytes expected");
                wrap.clear().limit(n);
                while (wrap.hasRemaining()) out.write(wrap);
                at += n;
            }
            if (at < size) throw new IOException("download cut short: " + at + " of " + size + " bytes");
        } catch (IOException e) {
            c.disconnect();
            throw new CoordinatorUnreachableException("download of " + sha256 + " interrupted: " + e.getMessage(), e);
        }
    }

    @Override
    public void recordOutputs(long fencingToken, org.cyphon.core.protocol.OutputFiles files)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        postJson(agentPath("attempts/" + fencingToken + "/outputs"), files, agentToken, null);
    }

    @Override
    public org.cyphon.core.protocol.JobOutputs storedOutputs(long fencingToken)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        String path = agentPath("attempts/" + fencingToken + "/outputs");
        HttpURLConnection c = open(path, "GET", agentToken, CALL_TIMEOUT);
        return read(c, path, org.cyphon.core.protocol.JobOutputs.class);
    }

    @Override
    public String machine() {
        return machine;
    }

    private String agentPath(String rest) {
        if (machine == null) throw new IllegalStateException("not enrolled");
        return "agents/" + java.net.URLEncoder.encode(machine, java.nio.charset.StandardCharsets.UTF_8) + "/" + rest;
    }

    private <T> T postJson(String path, Object body, String token, Class<T> type)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
        }
        HttpURLConnection c = open(path, "POST", token, CALL_TIMEOUT);
        send(c, "application/json", bytes);
        return read(c, path, type);
    }

    /** A connection for one call; nothing is sent yet. */
    private HttpURLConnection open(String path, String method, String token, Duration timeout)
            throws CoordinatorUnreachableException {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
            if (c instanceof HttpsURLConnection https && tls != null) https.setSSLSocketFactory(tls);
            c.setRequestMethod(method);
            c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Authorization", "Bearer " + token);
            return c;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private void send(HttpURLConnection c, String contentType, byte[] body) throws CoordinatorUnreachableException {
        c.setDoOutput(true);
        // Buffered, not setFixedLengthStreamingMode: in streaming mode HttpURLConnection answers a 401
        // by closing the connection (it cannot resend the body with credentials), and the
        // coordinator's reason is lost. These bodies are small; checkpoints stream (uploadCheckpoint).
        c.setRequestProperty("Content-Type", contentType);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        } catch (IOException e) {
            c.disconnect();
            throw unreachable(e);
        }
    }

    private int status(HttpURLConnection c) throws CoordinatorUnreachableException {
        try {
            return c.getResponseCode();
        } catch (IOException e) {
            c.disconnect();
            throw unreachable(e);
        }
    }

    /**
     * Reads the reply to its end (so the connection can be reused) and decodes it as {@code type}
     * (null: ignored). 5xx: unreachable (retry); 4xx: refused, with the coordinator's {@code ErrorBody}.
     */
    private <T> T read(HttpURLConnection c, String path, Class<T> type)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        int status = status(c);
        byte[] body;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            body = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            c.disconnect();
            throw unreachable(e);
        }
        String where = "/api/v1/" + path.replaceFirst("\\?.*$", "");
        if (status >= 500) {
            throw new CoordinatorUnreachableException("coordinator answered HTTP " + status + " to " + where, null);
        }
        if (status >= 400) {
            ErrorBody err = null;
            try {
                err = json.readValue(body, ErrorBody.class);
            } catch (IOException ignored) {
                // Not our JSON (a proxy's page): report the status alone.
            }
            throw new CoordinatorRefusedException(
                    status,
                    err != null && err.error() != null ? err.error() : "refused",
                    err != null ? err.field() : null);
        }
        if (type == null || body.length == 0) return null;
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new CoordinatorUnreachableException("unreadable reply from " + where + ": " + e.getMessage(), e);
        }
    }

    private CoordinatorUnreachableException unreachable(IOException e) {
        return new CoordinatorUnreachableException("cannot reach the coordinator at " + base + ": " + e, e);
    }
}
