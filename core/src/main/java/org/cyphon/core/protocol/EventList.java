package org.cyphon.core.protocol;

import java.util.List;

public record EventList(List<EventView> events) {}
