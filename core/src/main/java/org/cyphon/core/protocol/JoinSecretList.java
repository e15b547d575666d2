package org.cyphon.core.protocol;

import java.util.List;

/** {@code GET /api/v1/admin/join-secrets}: every join secret, newest first. */
public record JoinSecretList(List<JoinSecretView> joinSecrets) {}
