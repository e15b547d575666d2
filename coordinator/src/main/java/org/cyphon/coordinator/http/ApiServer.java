package org.cyphon.coordinator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.dashboard.CookieAuthorization;
import org.cyphon.coordinator.dashboard.CsrfTokens;
import org.cyphon.coordinator.dashboard.DashboardAssets;
import org.cyphon.coordinator.dashboard.DashboardRoutes;
import org.cyphon.coordinator.store.StoreException;
import org.cyphon.coordinator.tls.ServerIdentity;
import org.cyphon.core.job.IllegalTransitionException;
import org.cyphon.core.protocol.ErrorBody;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server (Javalin on Jetty): the routes of {@code docs/api.md} plus {@code GET /metrics}.
 *
 * <p>Every failure becomes a JSON {@link ErrorBody}: {@link ApiError} with its own status, an
 * illegal state change 409, a busy store 503, anything unexpected 500 with the details only in
 * our log. No stack trace reaches a client and no input can stop the server.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;
    private final List<String> routes;

    private ApiServer(Javalin app, List<String> routes) {
        this.app = app;
        this.routes = List.copyOf(routes);
    }

    /** @param tls the key and chain to serve HTTPS with, or null for plain HTTP */
    public static ApiServer start(
            String listen, int port, long maxBodyBytes, Duration bodyTimeout, Services s, ServerIdentity tls) {
        ObjectMapper json = WireJson.mapper();
        BodyTimeout stalls = new BodyTimeout(bodyTimeout);
        RequestBodies bodies = new RequestBodies(json, maxBodyBytes, stalls);
        // Long polls sit silent for up to long_poll_max; the connection must outlive them.
        long idleMillis =
                Math.max(Duration.ofSeconds(60).toMillis(), s.longPollMax().toMillis() + 30_000);
        List<String> routes = new CopyOnWriteArrayList<>();
        CsrfTokens csrf = new CsrfTokens();
        DashboardAssets assets = new DashboardAssets();
        Javalin app = Javalin.create(config -> {
            config.events(e -> e.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) routes.add(h.getHttpMethod() + " " + h.getPath());
            }));
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = maxBodyBytes;
            config.jetty.threadPool = RequestThreads.pool();
            config.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                // Jetty would otherwise hold a request with a body until its first byte comes, so a
                // client that declares a length and sends nothing would sit out the connection's
                // idle timeout unseen; dispatched at once, its body read is cut by http.body_timeout.
                h.setDelayDispatchUntilContent(false);
                // No per-connection cache of header fields: Jetty builds one (a trie of ~25 KB) for
                // every connection, and every desk keeps two open (its work long poll and its beats),
                // so 10,000 desks held ~500 MB of the heap in them (bench/run scale, JFR). Parsing
                // the few headers of an agent's request afresh costs next to nothing.
                h.setHeaderCacheSize(0);
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorPages(json)));
            config.jetty.modifyServletContextHandler(h -> h.addFilter(
                    new FilterHolder(new CookieAuthorization(csrf, json)),
                    "/api/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            config.jetty.addConnector((server, httpConfig) -> {
                ServerConnector c = tls == null
                        ? new ServerConnector(server, new MalformedRequestsAs400(httpConfig))
                        : httpsConnector(server, httpConfig, tls);
                c.setHost(listen);
                c.setPort(port);
                c.setIdleTimeout(idleMillis);
                return c;
            });
            config.router.mount(r -> {
                r.beforeMatched(MachineNamesInPaths::check);
                r.get("/api/v1/health", ctx -> ctx.json(Map.of("status", "ok")));
                r.get("/api/v1/whoami", ctx -> {
                    var p = s.auth().user(ctx.header("Authorization"));
                    ctx.json(new org.cyphon.core.protocol.WhoAmI(p.name(), p.admin()));
                });
                r.get(
                        "/metrics",
                        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                .result(s.metrics().scrape()));
                new JobRoutes(s, bodies).register(r);
                new MachineRoutes(s, bodies).register(r);
                new AgentRoutes(s, bodies).register(r);
                new IdentityRoutes(s, bodies).register(r);
                s.desk().register(r, stalls);
                new OverloadRoutes(s, bodies).register(r);
                new CoordinatorRoutes(s).register(r);
                new TrackRecordRoutes(s, bodies).register(r);
                new PlacementRoutes(s, bodies).register(r);
                new FileRoutes(s, bodies).register(r);
                new FigureRoutes(s, bodies).register(r);
                new DashboardRoutes(s.auth(), csrf, assets, bodies::bytes).register(r);
                r.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.field()));
                r.exception(IllegalTransitionException.class, (e, ctx) -> error(ctx, 409, e.getMessage(), null));
                r.exception(StoreException.class, (e, ctx) -> {
                    if (e.busy()) {
                        error(ctx, 503, e.getMessage(), null);
                    } else {
                        log.error("{} {}: store failure", ctx.method(), ctx.path(), e);
                        error(ctx, 500, "internal error: the store failed (details in the coordinator's log)", null);
                    }
                });
                r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage(), null));
                r.exception(Exception.class, (e, ctx) -> {
                    log.error("{} {}: unexpected failure", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error (details in the coordinator's log)", null);
                });
                r.error(404, ctx -> {
                    if (isEmpty(ctx)) error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
                });
                r.error(405, ctx -> {
                    if (isEmpty(ctx)) error(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path(), null);
                });
            });
        });
        app.start();
        return new ApiServer(app, routes);
    }

    private static ServerConnector httpsConnector(Server server, HttpConfiguration httpConfig, ServerIdentity tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.keyStorePassword()));
        ssl.setKeyManagerPassword(new String(tls.keyStorePassword()));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        // Desks reach the coordinator by address as often as by name: no SNI is no reason to refuse.
        https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        return new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new MalformedRequestsAs400(https));
    }

    public int port() {
        return app.port();
    }

    /** Every route served, as "METHOD /path/{param}", in the order registered (for tests that must reach them all). */
    public List<String> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void error(Context ctx, int status, String message, String field) {
        ctx.status(status).json(new ErrorBody(message, field));
    }

    private static boolean isEmpty(Context ctx) {
        String r = ctx.result();
        return r == null || r.isEmpty() || !r.startsWith("{");
    }
}
