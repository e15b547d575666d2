package org.cyphon.coordinator.dashboard;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.Principal;

/**
 * The web dashboard under {@code /dashboard}: static pages, scripts and styles from the jar
 * ({@link DashboardAssets}), which read and act through the API ({@link CookieAuthorization}), plus
 * the sign-in that puts a user's token in the session cookie.
 *
 * <p>A page is served only to a signed-in browser (others are sent to the sign-in page); the
 * scripts and styles hold no data and are served to anyone. Every response forbids inline scripts
 * and any source but this server ({@link #CSP}), framing, and caching of the pages.
 */
public final class DashboardRoutes {
    /** No inline script or style, nothing from elsewhere, no framing, forms only to us. */
    public static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
                    + " connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-.~+/=]{1,512}");
    private static final Map<String, String> PAGES = Map.of(
            "pool", "pool.html",
            "jobs", "jobs.html",
            "machine", "machine.html",
            "harvest", "harvest.html",
            "simulate", "simulate.html");

    private final Authenticate auth;
    private final CsrfTokens csrf;
    private final DashboardAssets assets;
    private final Function<Context, byte[]> bodies;

    /** @param bodies reads a request's body within the API's size and time limits */
    public DashboardRoutes(
            Authenticate auth, CsrfTokens csrf, DashboardAssets assets, Function<Context, byte[]> bodies) {
        this.auth = auth;
        this.csrf = csrf;
        this.assets = assets;
        this.bodies = bodies;
    }

    public void register(JavalinDefaultRouting r) {
        r.get("/", ctx -> redirect(ctx, "/dashboard/pool"));
        r.get("/dashboard", ctx -> redirect(ctx, "/dashboard/pool"));
        r.get("/dashboard/", ctx -> redirect(ctx, "/dashboard/pool"));
        r.get("/dashboard/signin", ctx -> serve(ctx, "signin.html"));
        r.post("/dashboard/signin", this::signIn);
        r.post("/dashboard/signout", this::signOut);
        r.get("/dashboard/session", this::session);
        r.get("/dashboard/assets/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
        r.get("/dashboard/{page}", this::page);
    }

    private void page(Context ctx) {
        String file = PAGES.get(ctx.pathParam("page"));
        if (file == null) {
            secure(ctx);
            throw new ApiError(404, "no such dashboard page: " + ctx.pathParam("page"), null);
        }
        if (signedIn(ctx) == null) {
            redirect(ctx, "/dashboard/signin");
            return;
        }
        serve(ctx, file);
    }

    /** {@code POST /dashboard/signin} with the form field {@code token}: sets the cookie when the API accepts the token. */
    private void signIn(Context ctx) {
        secure(ctx);
        String refused = SameOrigin.refusal(ctx.req());
        if (refused != null) throw new ApiError(403, refused, null);
        String token = form(ctx).getOrDefault("token", "").trim();
        if (!TOKEN.matcher(token).matches() || principal(token) == null) {
            redirect(ctx, "/dashboard/signin?failed=1");
            return;
        }
        ctx.header("Set-Cookie", SessionCookie.set(token));
        redirect(ctx, "/dashboard/pool");
    }

    private void signOut(Context ctx) {
        secure(ctx);
        String refused = SameOrigin.refusal(ctx.req());
        String token = SessionCookie.token(ctx.req());
        if (refused == null && token != null && !csrf.matches(token, form(ctx).get("csrf")))
            refused = "missing or wrong CSRF token: reload the page";
        if (refused != null) throw new ApiError(403, refused, null);
        ctx.header("Set-Cookie", SessionCookie.clear());
        redirect(ctx, "/dashboard/signin");
    }

    /** {@code GET /dashboard/session}: who is signed in, and the CSRF token the pages send with every change. */
    private void session(Context ctx) {
        secure(ctx);
        String token = SessionCookie.token(ctx.req());
        Principal p = token == null ? null : principal(token);
        if (p == null) throw new ApiError(401, "not signed in: sign in at /dashboard/signin", null);
        ctx.json(Map.of("name", p.name(), "admin", p.admin(), "csrf", csrf.of(token)));
    }

    /** The fields of a form the sign-in page posts ({@code application/x-www-form-urlencoded}). */
    private Map<String, String> form(Context ctx) {
        String body = new String(bodies.apply(ctx), StandardCharsets.UTF_8);
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            try {
                out.putIfAbsent(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                throw ApiError.badField("body", "malformed form field");
            }
        }
        return out;
    }

    private Principal signedIn(Context ctx) {
        String token = SessionCookie.token(ctx.req());
        return token == null ? null : principal(token);
    }

    /** The user or admin the token names, or null when the API would refuse it. */
    private Principal principal(String token) {
        try {
            return auth.user("Bearer " + token);
        } catch (ApiError e) {
            if (e.status() == 401 || e.status() == 403) return null;
            throw e;
        }
    }

    private void serve(Context ctx, String file) {
        secure(ctx);
        DashboardAssets.Asset a = assets.get(file);
        if (a == null) throw new ApiError(404, "no such dashboard file: " + file, null);
        ctx.contentType(a.contentType());
        if (file.endsWith(".html")) ctx.header("Cache-Control", "no-store");
        ctx.result(a.bytes());
    }

    private static void redirect(Context ctx, String to) {
        secure(ctx);
        ctx.header("Location", to);
        ctx.status(303);
    }

    /** The headers every dashboard response carries. */
    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // Same-origin requests keep their Origin (no-referrer would send "null"); none leaks elsewhere.
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }
}
