#!/usr/bin/env bash
# Whole-process benchmark of the Kubernetes checks at scale: `aiwfe doctor` on a snapshot of
# about 5,000 pods (the incident's objects copied into 300 namespaces) and live against the
# test API server holding the same objects, side by side in one run with `kubectl get pods
# -A -o json` against that server (the least a live read can cost). Targets: snapshot
# under 1 s, live under 3 s. Usage: bench/kube.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
command -v hyperfine >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release --locked -q --bin aiwfe --example kubeapi
BIN=target/release/aiwfe
work=$(mktemp -d /tmp/aiwfe-kbench.XXXXXX)
trap 'kill ${SRV:-} 2>/dev/null || true; rm -rf "$work"' EXIT

# 300 copies of the incident, one namespace each.
$BIN doctor --snapshot examples/incident.yaml -o json >/dev/null || true
python3 bench/big_snapshot.py examples/incident.yaml "$work/big.json"

exec 3< <(sleep 100000 >/dev/null 2>&1)
target/release/examples/kubeapi "$work/big.json" <&3 > "$work/kc.path" &
SRV=$!
for _ in $(seq 100); do [ -s "$work/kc.path" ] && break; sleep 0.1; done
KC=$(cat "$work/kc.path")

hyperfine --runs "$RUNS" --warmup 1 -N -i --export-json "$work/r.json" \
    -n "doctor --snapshot (5k pods)" "$BIN doctor --snapshot $work/big.json -o json" \
    -n "doctor live (5k pods)" "$BIN doctor --kubeconfig $KC -A --timeout 30s -o json" \
    -n "kubectl get pods -A -o json" "kubectl --kubeconfig $KC get pods -A -o json"

python3 - "$work/r.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
snap, live, kubectl = r["doctor --snapshot (5k pods)"], r["doctor live (5k pods)"], r["kubectl get pods -A -o json"]
print(f"\nmedians: snapshot {snap*1000:.0f} ms, live {live*1000:.0f} ms, kubectl get pods {kubectl*1000:.0f} ms")
print(f"live doctor / kubectl get pods: {live/kubectl:.2f}x")
print("targets: snapshot < 1 s:", "met" if snap < 1 else "MISSED", "| live < 3 s:", "met" if live < 3 else "MISSED")
PY
