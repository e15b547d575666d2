package org.cyphon.cli;

import java.util.List;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Quantities;
import org.cyphon.core.machine.Labels;
import org.cyphon.core.protocol.LabelRequest;
import org.cyphon.core.protocol.MachineView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cyphon label MACHINE K=V...}: prints the machine's labels afterwards. */
@Command(
        name = "label",
        mixinStandardHelpOptions = true,
        description = {
            "Give a machine labels (admin), which jobs can require with 'cyphon submit --require K=V'.",
            "They override what its agent reports (os, arch, gpu, agent.toml's [labels])."
        })
public final class LabelCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "MACHINE", description = "The machine's name, as 'cyphon machines' lists it.")
    String machine;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "K=V",
            description = "Labels to set, e.g. room=b12 gpu=nvidia.")
    List<String> labels;

    private LabelRequest change;

    @Override
    protected void checkInput() {
        change = new LabelRequest(Quantities.parseLabels("label", labels), List.of());
    }

    @Override
    protected int run(CyphonClient client) {
        MachineView m = client.label(machine, change);
        print(m.name() + " labels: " + Labels.show(m.labels()) + "\n");
        return 0;
    }
}
