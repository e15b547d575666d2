package org.cyphon.core.protocol;

public record TokenReply(String name, String token, boolean admin) {}
