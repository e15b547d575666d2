package org.cyphon.core.protocol;

/**
 * One wall an agent builds around each job on its desk (issue 12), as it reports it in its
 * heartbeats and {@code cyphon machine NAME} shows it.
 *
 * @param name   what it is: {@code namespaces}, {@code pids.max}, {@code disk limit},
 *               {@code network none}, {@code job accounts}, {@code max jobs}
 * @param built  whether jobs get it on this desk
 * @param detail how it is built (e.g. {@code "1024 processes per job"}), or why it cannot be
 *               (e.g. {@code "not root"}); never null
 */
public record WallView(String name, boolean built, String detail) {
    public WallView {
        if (detail == null) detail = "";
    }

    public static WallView built(String name, String how) {
        return new WallView(name, true, how);
    }

    public static WallView missing(String name, String why) {
        return new WallView(name, false, why);
    }
}
