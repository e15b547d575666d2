package org.cyphon.core.protocol;

import java.util.List;

/** The desk events an agent sends in one call, oldest first. */
public record DeskEventList(List<DeskEvent> events) {}
