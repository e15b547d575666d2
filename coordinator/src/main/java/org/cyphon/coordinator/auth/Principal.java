package org.cyphon.coordinator.auth;

/** Who is calling: a role and a name (user name, "admin", "enroll", or the agent's machine). */
public record Principal(Role role, String name) {
    public static final Principal ADMIN = new Principal(Role.ADMIN, "admin");
    public static final Principal ENROLL = new Principal(Role.ENROLL, "enroll");

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** Whether this caller may cancel, hold or release a job owned by {@code owner}. */
    public boolean mayChangeJobOf(String owner) {
        return admin() || (role == Role.USER && name.equals(owner));
    }
}
