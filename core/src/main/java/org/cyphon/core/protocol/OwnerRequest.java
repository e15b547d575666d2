package org.cyphon.core.protocol;

/** {@code POST /machines/{name}/owner} (admin): the user whose desk this is; null or empty: nobody's. */
public record OwnerRequest(String owner) {}
