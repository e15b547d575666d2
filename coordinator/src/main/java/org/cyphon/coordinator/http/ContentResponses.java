package org.cyphon.coordinator.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.coordinator.files.ServeBlobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a stored content straight from its file to the socket, a buffer at a time (never the whole
 * file in memory), with {@code Content-Length}; a request with {@code Range: bytes=N-} (or
 * {@code N-M}) gets 206 and the bytes from N, so a download cut half-way continues where it stopped.
 * A client that goes away mid-way just ends the copy.
 */
final class ContentResponses {
    private static final Logger log = LoggerFactory.getLogger(ContentResponses.class);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,19})-(\\d{0,19})");
    private static final int BUFFER = 256 * 1024;

    private ContentResponses() {}

    static void send(Context ctx, ServeBlobs.Content content) {
        try (FileChannel ch = content.channel()) {
            long size = content.size();
            long from = 0;
            long to = size - 1;
            String range = ctx.header("Range");
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (m != null && m.matches()) {
                long start = Long.parseLong(m.group(1));
                long end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                if (start >= size && !(start == 0 && size == 0)) {
                    ctx.status(416).header("Content-Range", "bytes */" + size);
                    ctx.json(new org.cyphon.core.protocol.ErrorBody(
                            "Range: starts at byte " + start + " of a " + size + "-byte file", "Range"));
                    return;
                }
                if (end >= start) {
                    from = start;
                    to = end;
                    ctx.status(206).header("Content-Range", "bytes " + from + "-" + to + "/" + size);
                }
            }
            long length = Math.max(0, to - from + 1);
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("X-Cyphon-Sha256", content.sha256());
            ctx.header("X-Cyphon-Size", Long.toString(size));
            ctx.contentType("application/octet-stream");
            ctx.res().setContentLengthLong(length);
            OutputStream out = ctx.res().getOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            long pos = from;
            long end = from + length;
            try {
                while (pos < end) {
                    buf.clear().limit((int) Math.min(BUFFER, end - pos));
                    int n = ch.read(buf, pos);
                    if (n < 0) break;
                    out.write(buf.array(), 0, n);
                    pos += n;
                }
                out.flush();
            } catch (IOException gone) {
                // The client went away (or its connection was cut): it resumes with a Range later.
                log.debug("download of {} ended at byte {} of {}: {}", content.sha256(), pos, size, gone.toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the stored content " + content.sha256(), e);
        }
    }
}
