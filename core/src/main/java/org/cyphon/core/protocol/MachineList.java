package org.cyphon.core.protocol;

import java.util.List;

public record MachineList(List<MachineView> machines) {}
