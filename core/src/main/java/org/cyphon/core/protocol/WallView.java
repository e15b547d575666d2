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
    public static final String NAMESPACES = "namespaces";
    public static final String PIDS_MAX = "pids.max";
    public static final String DISK_LIMIT = "disk limit";
    /** Built: a {@code --network none} job gets a network namespace of its own here. */
    public static final String NETWORK_NONE = "network none";

    public static final String JOB_ACCOUNTS = "job accounts";
    public static final String MAX_JOBS = "max jobs";

    public WallView {
        if (detail == null) detail = "";
    }

    public static WallView built(String name, String how) {
        return new WallView(name, true, how);
    }

    public static WallView missing(String name, String why) {
        return new WallView(name, false, why);
    }

    /**
     * Whether these walls give a {@code --network none} job a network of its own; null when they
     * are null (an agent that predates walls, which would run such a job on the desk's network).
     */
    public static Boolean ownNetwork(java.util.List<WallView> walls) {
        if (walls == null) return null;
        for (WallView w : walls) if (w != null && NETWORK_NONE.equals(w.name())) return w.built();
        return false;
    }
}
