package org.cyphon.cli;

import java.util.List;
import java.util.Map;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.core.machine.Labels;
import org.cyphon.core.protocol.LabelRequest;
import org.cyphon.core.protocol.MachineView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cyphon unlabel MACHINE K...}: prints the machine's labels afterwards. */
@Command(
        name = "unlabel",
        mixinStandardHelpOptions = true,
        description = {
            "Remove labels an admin gave a machine (admin).",
            "A label its agent reports comes back with the agent's value."
        })
public final class UnlabelCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "MACHINE", description = "The machine's name, as 'cyphon machines' lists it.")
    String machine;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "K", description = "Label names to remove.")
    List<String> keys;

    @Override
    protected void checkInput() {
        for (String k : keys) {
            if (Labels.problem(k, "x") != null)
                throw new InvalidInput("unlabel: '" + k + "' is not a label name (give names only, not K=V)");
        }
    }

    @Override
    protected int run(CyphonClient client) {
        MachineView m = client.label(machine, new LabelRequest(Map.of(), List.copyOf(keys)));
        print(m.name() + " labels: " + Labels.show(m.labels()) + "\n");
        return 0;
    }
}
