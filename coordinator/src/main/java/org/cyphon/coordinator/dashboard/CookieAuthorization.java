package org.cyphon.coordinator.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import org.cyphon.core.protocol.ErrorBody;

/**
 * Lets the dashboard's pages call the API with the session cookie instead of a bearer header, so
 * every page reads and acts through the very routes and authorization the CLI uses: a user sees
 * and may do in the browser exactly what the API lets them.
 *
 * <p>A request that carries its own {@code Authorization} header is left alone (the CLI, agents).
 * One that carries only the cookie gets the cookie's token as its bearer, and when it would change
 * anything (any method but GET and HEAD) only if it proves it comes from the dashboard's own pages:
 * its {@code Origin} is this server's, and it carries the session's CSRF token in
 * {@value #CSRF_HEADER}. Another site can make a browser send neither (SameSite=Strict keeps the
 * cookie off its requests in the first place; these checks hold even where a browser fails that).
 */
public final class CookieAuthorization extends HttpFilter {
    private static final long serialVersionUID = 1L;
    public static final String CSRF_HEADER = "X-Cyphon-CSRF";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final transient CsrfTokens csrf;
    private final transient ObjectMapper json;

    public CookieAuthorization(CsrfTokens csrf, ObjectMapper json) {
        this.csrf = csrf;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String token =
                req.getHeader("Authorization") == null && req.getRequestURI().startsWith("/api/")
                        ? SessionCookie.token(req)
                        : null;
        if (token == null) {
            chain.doFilter(req, res);
            return;
        }
        if (!SAFE.contains(req.getMethod())) {
            String refused = SameOrigin.refusal(req);
            if (refused == null && !csrf.matches(token, req.getHeader(CSRF_HEADER)))
                refused = "missing or wrong " + CSRF_HEADER + " header: reload the dashboard page";
            if (refused != null) {
                res.setStatus(403);
                res.setContentType("application/json");
                res.getOutputStream()
                        .write(json.writeValueAsString(new ErrorBody(refused, null))
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        chain.doFilter(new WithBearer(req, "Bearer " + token), res);
    }

    /** The request as if it had come with {@code Authorization: Bearer TOKEN}. */
    private static final class WithBearer extends HttpServletRequestWrapper {
        private final String authorization;

        WithBearer(HttpServletRequest req, String authorization) {
            super(req);
            this.authorization = authorization;
        }

        @Override
        public String getHeader(String name) {
            return "Authorization".equalsIgnoreCase(name) ? authorization : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "Authorization".equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(authorization))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            names.add("Authorization");
            return Collections.enumeration(names);
        }
    }
}
