package org.cyphon.core.protocol;

import java.util.List;

/** Desk commands for the agent to carry out, oldest first; empty when its long poll timed out. */
public record DeskCommandList(List<DeskCommand> commands) {}
