package org.cyphon.core.protocol;

/** Admin call {@code POST /api/v1/tokens}: mint a token for user {@code name}; admin role if {@code admin}. */
public record TokenRequest(String name, Boolean admin) {}
