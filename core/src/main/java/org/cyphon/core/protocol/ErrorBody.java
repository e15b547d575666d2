package org.cyphon.core.protocol;

/** Every 4xx/5xx reply body: what is wrong, and the input field it is about (null if none). */
public record ErrorBody(String error, String field) {}
