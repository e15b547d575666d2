#!/usr/bin/env bash
# Reproduces the README's Results: each policy preset on several job traces x owner sources.
# Usage: docs/results/run.sh [DATA_DIR]   (default ../shared/data next to the project)
# Writes docs/results/NAME.json (byte-identical for the same inputs: the simulator is
# deterministic) and prints each terminal table. About 15 minutes on 2 cores.
# CYPHON="java -jar path/to/cyphon.jar" runs a built jar instead of ./cyphon (which rebuilds when
# the sources change).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
D=${1:-$here/../shared/data}
out=$here/docs/results
PL="$D/planetlab/planetlab-cpu-20110303.csv.gz,$D/planetlab/planetlab-cpu-20110306.csv.gz,$D/planetlab/planetlab-cpu-20110309.csv.gz"
CYPHON=${CYPHON:-$here/cyphon}
run() { local name=$1; shift; echo "=== $name: $*"; $CYPHON simulate "$@" --json "$out/$name.json"; }
run nd-sat         --owners fit:nd07cpu --machines 200 --days 28 --saturate
run nd-office-sat  --owners fit:nd07cpu --office-hours --machines 200 --days 28 --saturate
run ms-sat         --owners fit:microsoft99 --machines 200 --days 28 --saturate
run ms-office-sat  --owners fit:microsoft99 --office-hours --machines 200 --days 28 --saturate
run pl-sat         --owners "cpu:$PL" --machines 200 --saturate --report "$out/pl-sat.html"
run kth-nd-office  --owners fit:nd07cpu --office-hours --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1
run kth-ms         --owners fit:microsoft99 --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1
run hpc2n-nd-plcpu --owners fit:nd07cpu --office-hours --machines 200 --days 28 --owner-cpu "cpu:$D/planetlab/planetlab-cpu-20110303.csv.gz" \
                   --jobs "$D/swf/HPC2N-2002-2.1-cln.swf.gz" --time-scale 0.05 --max-jobs 100000

# Power (issue 14). Lost work when desks switch off (PlanetLab hosts missing from a day's file are
# off), with shutdowns not announced (0), announced with the agent's default delay (30 s) and with
# 2 minutes; checkpoints cost 60 s as above, and 30 s (the coordinator's assumption for "auto").
for d in 0 30s 2m; do
  run power-pl-sat-sd$d    --owners "cpu:$PL" --machines 200 --saturate --policy desktop,htcondor-desktop --shutdown-delay $d
  run power-pl-hpc2n-sd$d  --owners "cpu:$PL" --machines 200 --jobs "$D/swf/HPC2N-2002-2.1-cln.swf.gz" --time-scale 0.05 --max-jobs 20000 \
                           --policy desktop,htcondor-desktop --shutdown-delay $d
done
for d in 0 30s; do
  run power-pl-sat-c30-sd$d --owners "cpu:$PL" --machines 200 --saturate --policy desktop --checkpoint-cost 30s --shutdown-delay $d
done
# Energy with and without suspend_when_idle (default policy; desks awake 50 W, asleep 4 W, off 2 W).
for s in off 30m; do
  run power-kth-nd-office-s$s  --owners fit:nd07cpu --office-hours --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1 --policy desktop --suspend-when-idle $s
  run power-kth-ms-s$s         --owners fit:microsoft99 --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1 --policy desktop --suspend-when-idle $s
  run power-hpc2n-nd-plcpu-s$s --owners fit:nd07cpu --office-hours --machines 200 --days 28 --owner-cpu "cpu:$D/planetlab/planetlab-cpu-20110303.csv.gz" \
                               --jobs "$D/swf/HPC2N-2002-2.1-cln.swf.gz" --time-scale 0.05 --max-jobs 100000 --policy desktop --suspend-when-idle $s
done
for s in 10m 2h; do
  run power-kth-nd-office-s$s  --owners fit:nd07cpu --office-hours --machines 200 --days 28 --jobs "$D/swf/KTH-SP2-1996-2.1-cln.swf.gz" --time-scale 0.1 --policy desktop --suspend-when-idle $s
done
run power-hpc2n-nd-plcpu-s30m-max200 --owners fit:nd07cpu --office-hours --machines 200 --days 28 --owner-cpu "cpu:$D/planetlab/planetlab-cpu-20110303.csv.gz" \
                               --jobs "$D/swf/HPC2N-2002-2.1-cln.swf.gz" --time-scale 0.05 --max-jobs 100000 --policy desktop --suspend-when-idle 30m --max-awake 200

