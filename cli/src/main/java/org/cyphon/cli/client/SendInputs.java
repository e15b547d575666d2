package org.cyphon.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.core.machine.SharedPaths;
import org.cyphon.core.protocol.BlobQuery;
import org.cyphon.core.protocol.BlobQueryReply;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.text.Sizes;

/**
 * Sends a submission's input files to the coordinator before the submission itself: each file is
 * hashed here (streamed), the coordinator asked which contents it lacks for this user, and only
 * those are sent, streamed from disk; an upload cut half-way continues where the coordinator says
 * it stopped. A file on shared storage the desks mount ({@code GET /files/shared}) is not sent at
 * all: the job gets a link to it and needs that path. Every submission of one command shares the
 * uploads (the same file is hashed and sent once).
 */
public final class SendInputs {
    /** Tries per file when the connection is cut, each continuing where the last stopped. */
    static final int TRIES = 8;

    private static final int QUERY_CHUNK = 2000;

    private final CyphonClient client;
    private final Map<Path, String> hashes = new HashMap<>();
    private final Set<String> sent = new java.util.HashSet<>();
    private List<String> shared;
    private long maxInputBytes = -1;
    private long bytesSent;

    public SendInputs(CyphonClient client) {
        this.client = client;
    }

    /** Bytes sent so far (what the coordinator lacked). */
    public long bytesSent() {
        return bytesSent;
    }

    /**
     * Uploads what the coordinator lacks and returns the job's files.
     *
     * @param needs shared paths the job needs besides those its inputs on shared storage add
     */
    public JobFiles send(List<LocalInputs.Input> inputs, List<String> outputs, List<String> needs) {
        Set<String> needsPaths = new LinkedHashSet<>(needs);
        List<JobFiles.Input> files = new ArrayList<>(inputs.size());
        List<LocalInputs.Input> uploads = new ArrayList<>();
        for (LocalInputs.Input in : inputs) {
            String root = sharedRoot(in.local());
            if (root != null) {
                needsPaths.add(root);
                files.add(JobFiles.Input.link(in.name(), realPath(in.local()).toString(), in.size()));
            } else {
                uploads.add(in);
                files.add(JobFiles.Input.upload(in.name(), hash(in.local()), in.size(), in.executable()));
            }
        }
        upload(uploads);
        return new JobFiles(files, outputs, List.copyOf(needsPaths));
    }

    private void upload(List<LocalInputs.Input> uploads) {
        if (uploads.isEmpty()) return;
        Map<String, LocalInputs.Input> bySha = new java.util.LinkedHashMap<>();
        long total = 0;
        for (LocalInputs.Input in : uploads) {
            total += in.size();
            bySha.putIfAbsent(hashes.get(in.local()), in);
        }
        List<BlobQueryReply.Missing> missing = new ArrayList<>();
        List<BlobQuery.Blob> ask = new ArrayList<>();
        for (var e : bySha.entrySet()) {
            if (!sent.contains(e.getKey()))
                ask.add(new BlobQuery.Blob(e.getKey(), e.getValue().size()));
        }
        for (int i = 0; i < ask.size(); i += QUERY_CHUNK) {
            BlobQueryReply reply =
                    client.queryFiles(new BlobQuery(ask.subList(i, Math.min(ask.size(), i + QUERY_CHUNK))));
            maxInputBytes = reply.maxInputBytes();
            missing.addAll(reply.missing());
        }
        if (maxInputBytes >= 0 && total > maxInputBytes)
            throw new InvalidInput("--input: " + Sizes.format(total)
                    + " in all, over the coordinator's jobs.max_input_bytes of " + Sizes.format(maxInputBytes));
        for (BlobQueryReply.Missing m : missing) {
            LocalInputs.Input in = bySha.get(m.sha256());
            sendOne(in, m.sha256(), m.offset());
            sent.add(m.sha256());
        }
    }

    /** Sends one file from {@code offset}, continuing after each cut connection, at most {@link #TRIES} times. */
    private void sendOne(LocalInputs.Input in, String sha, long offset) {
        long at = offset;
        CoordinatorUnreachable last = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            if (attempt > 0) {
                pause(attempt);
                try {
                    List<BlobQueryReply.Missing> m = client.queryFiles(
                                    new BlobQuery(List.of(new BlobQuery.Blob(sha, in.size()))))
                            .missing();
                    if (m.isEmpty()) {
                        bytesSent += in.size() - offset;
                        return;
                    }
                    at = m.get(0).offset();
                } catch (CoordinatorUnreachable e) {
                    last = e;
                    continue;
                }
            }
            try {
                long got = client.uploadFile(sha, in.size(), at, in.local());
                if (got >= in.size()) {
                    bytesSent += in.size() - offset; // what the coordinator lacked, however many pieces it took
                    return;
                }
                at = got;
            } catch (CoordinatorUnreachable e) {
                last = e;
            } catch (ApiRefusal e) {
                if (e.status() == 409 || e.status() == 503) continue; // ask again where to continue
                if (e.status() == 400 && e.getMessage().contains("have SHA-256"))
                    throw new InvalidInput("--input " + in.local() + ": changed while it was sent; submit again");
                throw e;
            }
        }
        throw new CoordinatorUnreachable(
                "--input " + in.local() + ": sending it failed " + TRIES + " times"
                        + (last == null ? "" : ": " + last.getMessage()),
                last);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(8000, 250L << attempt)); // backing off between tries, not waiting for a state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachable("interrupted", e);
        }
    }

    /** The shared path (as the desks declare it) that holds this file, or null. */
    private String sharedRoot(Path local) {
        if (shared == null) shared = client.sharedPaths();
        if (shared.isEmpty()) return null;
        String real = realPath(local).toString();
        for (String root : shared) if (SharedPaths.under(real, root)) return root;
        return null;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new InvalidInput("--input " + p + ": " + e.getMessage());
        }
    }

    private String hash(Path local) {
        return hashes.computeIfAbsent(local, SendInputs::sha256Of);
    }

    static String sha256Of(Path file) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) d.update(buf, 0, n);
        } catch (IOException e) {
            throw new InvalidInput("--input " + file + ": cannot read: " + e.getMessage());
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
