package org.cyphon.core.protocol;

import java.util.List;

/** Attempts for the agent to start; empty when the long poll timed out with nothing to do. */
public record WorkReply(List<WorkAssignment> assignments) {}
