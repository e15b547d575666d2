package org.cyphon.coordinator.desk;

import io.javalin.http.Context;
import java.time.Duration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Lets one connection stay silent longer than the server's idle timeout: an administrator's desk
 * action may wait a minute and a half for a save, and Jetty would otherwise close the connection
 * under the waiting request (the default idle timeout is sized for the agents' long polls).
 */
final class ConnectionIdleTime {
    private ConnectionIdleTime() {}

    /** Makes the connection of {@code ctx} wait at least {@code atLeast} in silence. */
    static void atLeast(Context ctx, Duration atLeast) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base == null || base.getHttpChannel() == null) return;
        EndPoint endPoint = base.getHttpChannel().getEndPoint();
        if (endPoint != null && endPoint.getIdleTimeout() < atLeast.toMillis())
            endPoint.setIdleTimeout(atLeast.toMillis());
    }
}
