package org.cyphon.cli;

import java.nio.file.Path;
import java.util.List;
import org.cyphon.cli.client.CyphonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cyphon dag FILE}: submits a DAG file's jobs in one batch; prints "NODE ID" per job. */
@Command(
        name = "dag",
        mixinStandardHelpOptions = true,
        description = {
            "Submit a DAG: JOB NAME FILE lines (a .toml job file or an HTCondor .sub file, relative to the DAG file)",
            "and PARENT A.. CHILD B.. lines (B's jobs run after A's complete with exit code 0).",
            "All jobs are stored or none; cycles are refused. Prints NODE ID for every job."
        })
public final class DagCommand extends ApiCommand {
    @Parameters(paramLabel = "FILE", description = "The DAG file.")
    Path file;

    private DagFile dag;

    @Override
    protected void checkInput() {
        dag = DagFile.read(file);
    }

    @Override
    protected int run(CyphonClient client) {
        List<Long> ids = client.submitBatch(org.cyphon.cli.client.LocalFiles.sendAll(client, dag.batch(), dag.files()));
        StringBuilder out = new StringBuilder();
        for (DagFile.Node n : dag.nodes())
            for (int i = n.from(); i < n.to(); i++)
                out.append(n.name()).append(' ').append(ids.get(i)).append('\n');
        print(out.toString());
        if (dag.note() != null) note(dag.note());
        return 0;
    }
}
