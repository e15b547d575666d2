#!/usr/bin/env bash
# Reproduces the README's Results: each policy preset on several job traces x owner sources.
# Usage: docs/results/run.sh [DATA_DIR]   (default ../shared/data next to the project)
# Writes docs/results/NAME.json (byte-identical for the same inputs: the simulator is
# deterministic) and prints each terminal table. About 10 minutes on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
D=${1:-$here/../shared/data}
out=$here/docs/results
PL="$D/planetlab/planetlab-cpu-20110303.csv.gz,$D/planetlab/planetlab-cpu-20110306.csv.gz,$D/planetlab/planetlab-cpu-20110309.csv.gz"
run() { local name=$1; shift; echo "=== $name: $*"; "$here/cyphon" simulate "$@" --json "$out/$name.json"; }
run nd-sat         --owners fit:nd07cpu --machines 200 --days 28 --saturate
run nd-office-sat  --owners fit:nd07cpu --office-hours --machines 200 --days 28 --saturate
run ms-sat         --owners fit:microsoft99 --machines 200 --days 28 --saturate
run ms-office-sat  --owners fit:microsoft99 --office-hours --machines 200 --days 28 --saturate
run pl-sat         --owners "cpu:$PL" --machines 200 --saturate --report "$out/pl-sat.html"
run kth-nd-office  --owners fit:nd07cpu --office-hours --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1
run kth-ms         --owners fit:microsoft99 --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1
run hpc2n-nd-plcpu --owners fit:nd07cpu --office-hours --machines 200 --days 28 --owner-cpu "cpu:$D/planetlab/planetlab-cpu-20110303.csv.gz" \
                   --jobs "$D/swf/HPC2N-2002-2.1-cln.swf.gz" --time-scale 0.05 --max-jobs 100000
