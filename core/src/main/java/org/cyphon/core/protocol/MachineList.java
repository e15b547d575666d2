package org.cyphon.core.protocol;

import java.util.List;

/** {@code GET /machines}: every machine, and the pool's overload mode (null from an older coordinator). */
public record MachineList(List<MachineView> machines, OverloadView overload) {}
