package org.cyphon.core.protocol;

import java.util.List;

/** {@code GET /api/v1/tokens}: every token the coordinator knows, by role then name. */
public record TokenList(List<TokenView> tokens) {}
