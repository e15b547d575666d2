package org.cyphon.coordinator.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The dashboard's files, read from the jar once: pages, scripts, styles. No build step makes them. */
public final class DashboardAssets {
    private static final String DIR = "/org/cyphon/coordinator/dashboard/";
    private static final List<String> FILES = List.of(
            "signin.html",
            "pool.html",
            "jobs.html",
            "machine.html",
            "harvest.html",
            "simulate.html",
            "simulate.js",
            "dashboard.css",
            "api.js",
            "format.js",
            "signin.js",
            "nav.js",
            "pool.js",
            "jobs.js",
            "machine.js",
            "harvest.js",
            "charts.js");

    /** One file and how it is served. */
    public record Asset(String contentType, byte[] bytes) {}

    private final Map<String, Asset> files = new HashMap<>();

    public DashboardAssets() {
        for (String f : FILES) {
            try (InputStream in = DashboardAssets.class.getResourceAsStream(DIR + f)) {
                if (in == null) throw new IllegalStateException("the jar lacks the dashboard's " + f);
                files.put(f, new Asset(contentType(f), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The file, or null when the dashboard has none of that name. */
    public Asset get(String name) {
        return files.get(name);
    }

    private static String contentType(String f) {
        if (f.endsWith(".html")) return "text/html; charset=utf-8";
        if (f.endsWith(".css")) return "text/css; charset=utf-8";
        if (f.endsWith(".js")) return "text/javascript; charset=utf-8";
        throw new IllegalStateException("no content type for " + f);
    }
}
