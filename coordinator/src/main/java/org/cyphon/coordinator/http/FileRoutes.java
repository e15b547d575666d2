package org.cyphon.coordinator.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.files.FileServices;
import org.cyphon.coordinator.files.UploadBlobs;
import org.cyphon.core.protocol.BlobQuery;
import org.cyphon.core.protocol.OutputFiles;

/**
 * Jobs' files: the users' uploads and downloads ({@code /files}, {@code /jobs/{id}/outputs}) and
 * the agents' ({@code /agents/{m}/attempts/{token}/blobs}, {@code .../outputs}). Uploaded bodies are
 * streamed to disk (bounded by {@code jobs.max_input_bytes} or {@code jobs.max_output_bytes}, not by
 * {@code http.max_body}), downloads streamed from it.
 */
final class FileRoutes {
    private final Services s;
    private final RequestBodies bodies;

    FileRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    private FileServices files() {
        return s.files();
    }

    void register(JavalinDefaultRouting r) {
        r.post("/api/v1/files/query", ctx -> {
            Principal p = user(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.json(files().upload().query(p, bodies.json(ctx, BlobQuery.class)));
        });
        r.put("/api/v1/files/{sha256}", ctx -> {
            Principal p = user(ctx);
            Piece piece = piece(ctx);
            files().upload().admit(piece.sha256(), piece.size(), piece.offset()); // before the body is opened
            UploadBlobs.Received got = bodies.timeout()
                    .read(ctx, body -> files().upload().upload(p, piece.sha256(), piece.size(), piece.offset(), body));
            ctx.json(got);
        });
        r.get("/api/v1/files/shared", ctx -> {
            user(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.json(files().shared().paths());
        });
        r.get("/api/v1/jobs/{id}/outputs", ctx -> {
            Principal p = user(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.json(files().list().forViewer(p, Params.id(ctx, "id")));
        });
        r.get("/api/v1/jobs/{id}/outputs/{sha256}", ctx -> {
            Principal p = user(ctx);
            Params.allowOnly(ctx, Set.of());
            ContentResponses.send(ctx, files().serve().output(p, Params.id(ctx, "id"), ctx.pathParam("sha256")));
        });

        r.post("/api/v1/agents/{machine}/attempts/{fencingToken}/blobs/query", ctx -> {
            String machine = agent(ctx);
            Params.allowOnly(ctx, Set.of());
            long token = Params.id(ctx, "fencingToken");
            ctx.json(files().upload().queryForAttempt(machine, token, bodies.json(ctx, BlobQuery.class)));
        });
        r.put("/api/v1/agents/{machine}/attempts/{fencingToken}/blobs/{sha256}", ctx -> {
            String machine = agent(ctx);
            long token = Params.id(ctx, "fencingToken");
            Piece piece = piece(ctx);
            files().upload().admitForAttempt(machine, token, piece.sha256(), piece.size(), piece.offset());
            UploadBlobs.Received got = bodies.timeout()
                    .read(
                            ctx,
                            body -> files().upload()
                                    .uploadForAttempt(
                                            machine, token, piece.sha256(), piece.size(), piece.offset(), body));
            ctx.json(got);
        });
        r.get("/api/v1/agents/{machine}/attempts/{fencingToken}/blobs/{sha256}", ctx -> {
            String machine = agent(ctx);
            Params.allowOnly(ctx, Set.of());
            long token = Params.id(ctx, "fencingToken");
            ContentResponses.send(ctx, files().serve().forAttempt(machine, token, ctx.pathParam("sha256")));
        });
        r.post("/api/v1/agents/{machine}/attempts/{fencingToken}/outputs", ctx -> {
            String machine = agent(ctx);
            Params.allowOnly(ctx, Set.of());
            long token = Params.id(ctx, "fencingToken");
            ctx.json(files().record().record(machine, token, bodies.json(ctx, OutputFiles.class)));
        });
        r.get("/api/v1/agents/{machine}/attempts/{fencingToken}/outputs", ctx -> {
            String machine = agent(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.json(files().list().forAttempt(machine, Params.id(ctx, "fencingToken")));
        });
    }

    /** One piece of an upload: the content, its whole size, and where this piece starts. */
    private record Piece(String sha256, long size, long offset) {}

    private static Piece piece(Context ctx) {
        Params.allowOnly(ctx, Set.of("size", "offset"));
        Long size = Params.optLong(ctx, "size", 0, Long.MAX_VALUE);
        if (size == null) throw ApiError.badField("size", "is required: the whole file's size in bytes");
        Long offset = Params.optLong(ctx, "offset", 0, Long.MAX_VALUE);
        long at = offset == null ? 0 : offset;
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0 && at + declared > size)
            throw ApiError.badField(
                    "body", "a " + declared + "-byte piece from byte " + at + " runs past the " + size + "-byte file");
        return new Piece(ctx.pathParam("sha256"), size, at);
    }

    private Principal user(Context ctx) {
        return s.auth().user(ctx.header("Authorization"));
    }

    private String agent(Context ctx) {
        String machine = ctx.pathParam("machine");
        s.auth().agent(ctx.header("Authorization"), machine);
        return machine;
    }
}
