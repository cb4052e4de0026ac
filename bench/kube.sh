#!/usr/bin/env bash
# Whole-process benchmark of the Kubernetes checks at scale, side by side in one run:
#   - `aiwfe doctor --snapshot` on realistic snapshots (tests/support/bigcluster.rs: full pod
#     specs, 5 % crash-looping, 2 % Pending, 1 % OOM-killed) of 5,000 / 20,000 / 50,000 pods,
#     as JSON and as YAML, with wall time and peak RSS of each (growth should be linear);
#   - `aiwfe doctor` live against the test API server holding 20,000 pods, served in pages
#     of 500, next to `kubectl get pods -A -o json` on the same server (the least a live read
#     of the pods alone costs).
# Goals: 50,000 pods in <= 5 s and <= 1 GiB; live 20,000 pods in <= 3 s and <= 0.5x kubectl.
# Usage: bench/kube.sh [RUNS] [SIZES...]   e.g. bench/kube.sh 3 5000 20000 50000
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(5000 20000 50000)
cargo build --release --locked -q --bin aiwfe --example big_snapshot --example kubeapi
BIN=target/release/aiwfe
work=$(mktemp -d /tmp/aiwfe-kbench.XXXXXX)
trap 'kill ${SRV:-} 2>/dev/null || true; rm -rf "$work"' EXIT

for n in "${SIZES[@]}"; do
    target/release/examples/big_snapshot "$n" "$work/p$n.json" >/dev/null
    target/release/examples/big_snapshot "$n" "$work/p$n.yaml" >/dev/null
done

LIVE=20000
target/release/examples/big_snapshot "$LIVE" "$work/live.json" >/dev/null
exec 3< <(sleep 100000 >/dev/null 2>&1)
target/release/examples/kubeapi "$work/live.json" <&3 >"$work/kc.path" &
SRV=$!
for _ in $(seq 600); do [ -s "$work/kc.path" ] && break; sleep 0.1; done
KC=$(cat "$work/kc.path")

python3 - "$RUNS" "$BIN" "$work" "$KC" "$LIVE" "${SIZES[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, bin_, work, kc, live = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
sizes = [int(s) for s in sys.argv[6:]]

def measure(cmd):
    """Median wall seconds and the largest peak RSS (MiB) over the runs."""
    walls, rss = [], 0
    for _ in range(runs):
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        walls.append(time.monotonic() - t)
        rss = max(rss, usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {code}")
    return statistics.median(walls), rss

print(f"{'pods':>7} {'format':>6} {'MB':>6} {'seconds':>8} {'s/10k pods':>10} {'peak MiB':>9}")
results = {}
for n in sizes:
    for fmt in ("json", "yaml"):
        path = f"{work}/p{n}.{fmt}"
        wall, rss = measure([bin_, "doctor", "--snapshot", path, "-o", "json"])
        results[(n, fmt)] = (wall, rss)
        mb = os.path.getsize(path) / 1e6
        print(f"{n:>7} {fmt:>6} {mb:>6.0f} {wall:>8.2f} {wall / n * 1e4:>10.2f} {rss:>9.0f}", flush=True)

doctor, drss = measure([bin_, "doctor", "--kubeconfig", kc, "-A", "--only", "kube", "--timeout", "60s", "-o", "json"])
kubectl, _ = measure(["kubectl", "--kubeconfig", kc, "get", "pods", "-A", "-o", "json"])
print(f"\nlive, {live} pods in pages of 500: doctor {doctor:.2f} s (peak {drss:.0f} MiB), "
      f"kubectl get pods -A -o json {kubectl:.2f} s; doctor / kubectl = {doctor / kubectl:.2f}")
big = max(sizes)
for fmt in ("json", "yaml"):
    wall, rss = results[(big, fmt)]
    print(f"{big} pods {fmt}: {wall:.2f} s (goal <= 5 s: {'met' if wall <= 5 else 'MISSED'}), "
          f"{rss:.0f} MiB (goal <= 1024: {'met' if rss <= 1024 else 'MISSED'})")
print(f"live: {'met' if doctor <= 3 else 'MISSED'} (<= 3 s), ratio {'met' if doctor / kubectl <= 0.5 else 'MISSED'} (<= 0.5)")
PY
