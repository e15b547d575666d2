package org.cyphon.core.protocol;

import java.util.List;

/** Desk audit entries, oldest first. */
public record DeskAuditList(List<DeskAuditEntry> entries) {}
