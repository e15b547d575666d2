package org.cyphon.coordinator.http;

import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.text.Durations;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request's body under a short idle timeout ({@code http.body_timeout}): a client that
 * declares a length and then sends less, or stops half-way, gets a 408 once nothing has arrived
 * for that long, instead of holding a server thread for the connection's own idle timeout (a
 * minute or more, sized for long polls). Any byte arriving restarts the wait, so a slow but
 * moving upload is never cut. The connection's idle timeout is put back once the body is read.
 */
public final class BodyTimeout {
    private final Duration timeout;

    /** Reads a body from the stream it is given. */
    public interface Reader<T> {
        T read(InputStream body) throws IOException;
    }

    public BodyTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code reader} on the request's body with the short timeout in force.
     *
     * @throws ApiError 408 when the body stalled; 400 when it could not be read otherwise
     */
    public <T> T read(Context ctx, Reader<T> reader) {
        EndPoint endPoint = endPoint(ctx);
        long before = endPoint == null ? -1 : endPoint.getIdleTimeout();
        if (endPoint != null && (before <= 0 || before > timeout.toMillis()))
            endPoint.setIdleTimeout(timeout.toMillis());
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = new Stalls(ctx.req().getInputStream(), declared)) {
            return reader.read(in);
        } catch (IOException e) {
            if (stalled(e)) throw stalled(declared, -1);
            throw new ApiError(400, "could not read the request body: " + e.getMessage(), "body");
        } finally {
            if (endPoint != null && before > 0) endPoint.setIdleTimeout(before);
        }
    }

    private ApiError stalled(long declared, long received) {
        return new ApiError(
                408,
                "body: nothing arrived for " + show(timeout) + " (http.body_timeout)"
                        + (declared >= 0
                                ? ", " + (received >= 0 ? received + " of " : "") + "the " + declared
                                        + " bytes declared"
                                : ""),
                "body");
    }

    private static String show(Duration d) {
        return d.toMillis() < 1000 || d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : Durations.format(d);
    }

    /** Jetty fails a blocked read with an IOException caused by a TimeoutException when the idle timeout fires. */
    static boolean stalled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof TimeoutException) return true;
        return false;
    }

    private static EndPoint endPoint(Context ctx) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base == null || base.getHttpChannel() == null) return null;
        return base.getHttpChannel().getEndPoint();
    }

    /**
     * Turns a stalled read into the 408 at once, with how far the body got, so code that catches
     * IOException for other reasons (a checkpoint's clean-up) still cleans up but does not mistake
     * the stall for bad content.
     */
    private final class Stalls extends FilterInputStream {
        private final long declared;
        private long received;

        Stalls(InputStream in, long declared) {
            super(in);
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0) received++;
                return b;
            } catch (IOException e) {
                if (stalled(e)) throw stalled(declared, received);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) received += n;
                return n;
            } catch (IOException e) {
                if (stalled(e)) throw stalled(declared, received);
                throw e;
            }
        }
    }
}
