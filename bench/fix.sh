#!/usr/bin/env bash
# Whole-process benchmark of planning the fixes offline: `aiwfe fix affinity` and `aiwfe fix
# redis-auth` with `--snapshot ... --dry-run` on the bundled incident and on about 5,000 pods
# (the incident's objects copied into 300 namespaces), side by side in one run with
# `aiwfe doctor --snapshot` on the same file, which reads the same objects: the ratio says
# what planning adds to reading. Target: the incident planned well under 100 ms.
# Usage: bench/fix.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
command -v hyperfine >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq hyperfine >/dev/null; }
python3 -c 'import yaml' 2>/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq python3-yaml >/dev/null; }
cargo build --release --locked -q --bin aiwfe
BIN=target/release/aiwfe
work=$(mktemp -d /tmp/aiwfe-fbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 bench/big_snapshot.py examples/incident.yaml "$work/big.json"
INC=examples/incident.yaml
RA="--secret redis-auth --key password --from-secret aiwfe/redis-server-auth:password"
hyperfine --runs "$RUNS" --warmup 1 -N -i --export-json "$work/r.json" \
    -n "doctor (incident)" "$BIN doctor --snapshot $INC -o json" \
    -n "fix affinity (incident)" "$BIN fix affinity -n aiwfe --snapshot $INC --dry-run -o json" \
    -n "fix redis-auth (incident)" "$BIN fix redis-auth -n aiwfe $RA --snapshot $INC --dry-run -o json" \
    -n "doctor (5k pods)" "$BIN doctor --snapshot $work/big.json -o json" \
    -n "fix affinity (5k pods)" "$BIN fix affinity -n aiwfe-000 --snapshot $work/big.json --dry-run -o json" \
    -n "fix redis-auth (5k pods)" "$BIN fix redis-auth -n aiwfe-000 ${RA//aiwfe\//aiwfe-000/} --snapshot $work/big.json --dry-run -o json"
python3 - "$work/r.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
for size in ("incident", "5k pods"):
    d = r[f"doctor ({size})"]
    for fix in ("affinity", "redis-auth"):
        f = r[f"fix {fix} ({size})"]
        print(f"{size}: fix {fix} {f*1000:.0f} ms, doctor {d*1000:.0f} ms, fix / doctor {f/d:.2f}x")
PY
