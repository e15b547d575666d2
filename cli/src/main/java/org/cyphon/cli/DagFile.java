package org.cyphon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.JobFile;
import org.cyphon.cli.client.LocalFiles;
import org.cyphon.cli.condor.SubmitFile;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobSubmission;

/**
 * A small DAG file ({@code cyphon dag FILE}), in the style of DAGMan's: {@code JOB NAME FILE} names
 * a node and the job file (.toml) or HTCondor submit file (.sub, .submit) that describes it, paths
 * relative to the DAG file; {@code PARENT A [B...] CHILD C [D...]} says every job of C runs after
 * every job of A completes with exit code 0. {@code #} starts a comment line. Every other DAGMan
 * command is refused by name. The whole DAG goes in one batch: stored all or nothing, cycles
 * refused by the coordinator (and here first, with the node names).
 *
 * @param nodes each node's name and where its submissions start and end in the batch
 */
record DagFile(JobBatch batch, List<Node> nodes, String note, List<LocalFiles> files) {

    record Node(String name, int from, int to) {}

    static DagFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInput(file + ": no such DAG file");
        } catch (IOException e) {
            throw new InvalidInput(file + ": cannot read: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        Map<String, List<JobSubmission>> jobs = new LinkedHashMap<>();
        Map<String, List<LocalFiles>> jobFiles = new LinkedHashMap<>();
        List<String[]> parentChild = new ArrayList<>();
        String note = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = file + ":" + (i + 1) + ": ";
            String[] w = line.split("\\s+");
            switch (w[0].toUpperCase(Locale.ROOT)) {
                case "JOB" -> {
                    if (w.length != 3)
                        throw new InvalidInput(
                                where + "JOB takes a name and a file (JOB NAME FILE); got '" + line + "'");
                    if (jobs.containsKey(w[1])) throw new InvalidInput(where + "JOB " + w[1] + " is defined twice");
                    Path f = dir.resolve(w[2]);
                    if (w[2].endsWith(".toml")) {
                        jobs.put(w[1], List.of(JobFile.read(f)));
                        jobFiles.put(w[1], List.of(JobFile.files(f)));
                    } else if (w[2].endsWith(".sub") || w[2].endsWith(".submit")) {
                        SubmitFileJobs s = SubmitFileJobs.of(
                                f.toString(),
                                SubmitFile.read(f, dir),
                                new SubmitFileJobs.Overrides(w[1], null, null, null));
                        if (s.note() != null) note = s.note();
                        jobs.put(w[1], s.batch().jobs());
                        jobFiles.put(w[1], s.files());
                    } else
                        throw new InvalidInput(where + "JOB " + w[1] + ": '" + w[2]
                                + "' is neither a job file (.toml) nor an HTCondor submit file (.sub, .submit)");
                }
                case "PARENT" -> {
                    int child = -1;
                    for (int k = 1; k < w.length; k++) if (w[k].equalsIgnoreCase("CHILD")) child = k;
                    if (child < 2 || child == w.length - 1)
                        throw new InvalidInput(
                                where + "PARENT takes node names, CHILD, node names; got '" + line + "'");
                    for (int p = 1; p < child; p++)
                        for (int c = child + 1; c < w.length; c++) parentChild.add(new String[] {w[p], w[c], where});
                }
                default ->
                    throw new InvalidInput(where + "Cyphon does not understand the DAG command '" + w[0]
                            + "' (it knows JOB and PARENT ... CHILD)");
            }
        }
        if (jobs.isEmpty()) throw new InvalidInput(file + ": no JOB line: nothing would be submitted");
        List<JobSubmission> subs = new ArrayList<>();
        List<LocalFiles> files = new ArrayList<>();
        for (List<LocalFiles> f : jobFiles.values()) files.addAll(f);
        List<Node> nodes = new ArrayList<>();
        Map<String, Node> byName = new LinkedHashMap<>();
        for (var e : jobs.entrySet()) {
            Node n =
                    new Node(e.getKey(), subs.size(), subs.size() + e.getValue().size());
            subs.addAll(e.getValue());
            nodes.add(n);
            byName.put(n.name(), n);
        }
        List<JobBatch.Edge> edges = new ArrayList<>();
        List<int[]> nodeEdges = new ArrayList<>();
        for (String[] pc : parentChild) {
            Node p = byName.get(pc[0]);
            Node c = byName.get(pc[1]);
            if (p == null || c == null)
                throw new InvalidInput(pc[2] + "no JOB named '" + (p == null ? pc[0] : pc[1]) + "'");
            if (p.equals(c)) throw new InvalidInput(pc[2] + "node " + p.name() + " cannot be its own parent");
            nodeEdges.add(new int[] {nodes.indexOf(c), nodes.indexOf(p)});
            for (int ci = c.from(); ci < c.to(); ci++)
                for (int pi = p.from(); pi < p.to(); pi++) edges.add(new JobBatch.Edge(ci, pi, false));
        }
        List<Integer> cycle = org.cyphon.core.job.JobDependencies.cycle(nodes.size(), nodeEdges);
        if (!cycle.isEmpty()) {
            throw new InvalidInput(file + ": the dependencies make a cycle, so none of its jobs could ever run: "
                    + String.join(
                            " runs after ",
                            cycle.stream().map(i -> nodes.get(i).name()).toList()));
        }
        return new DagFile(new JobBatch(subs, edges.stream().distinct().toList()), nodes, note, files);
    }
}
