package org.cyphon.cli;

import java.util.List;
import org.cyphon.cli.client.Caller;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.core.protocol.MachineList;
import org.cyphon.core.protocol.MachineView;

/** The desk a command is about: the one named, else the caller's own when they own exactly one. */
final class DeskChoice {
    private DeskChoice() {}

    static String of(String named, CyphonClient client) {
        if (named != null) return named;
        Caller me = client.whoami();
        if (me == null) throw new InvalidInput("name the MACHINE: this coordinator cannot say who you are");
        MachineList all = client.machines();
        List<String> mine = (all.machines() == null ? List.<MachineView>of() : all.machines())
                .stream()
                        .filter(m -> me.name().equals(m.owner()))
                        .map(MachineView::name)
                        .toList();
        if (mine.size() == 1) return mine.get(0);
        if (mine.isEmpty()) throw new InvalidInput("name the MACHINE: no desk belongs to " + me.name());
        throw new InvalidInput(
                "name the MACHINE: " + me.name() + " owns " + mine.size() + " desks (" + String.join(", ", mine) + ")");
    }
}
