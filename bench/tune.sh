#!/usr/bin/env bash
# Benchmark of `aiwfe tune resources --prometheus` on about 170, 820 and 2,000 containers: the
# incident's Deployments copied into namespaces (bench/big_snapshot.py), 6 hours of
# cAdvisor-shaped series for every pod backfilled into a real Prometheus with promtool.
# Per size it reports the queries Prometheus ran for one aiwfe run (its own
# prometheus_engine_query_duration_seconds_count), which must stay flat as containers grow,
# and the time of the whole aiwfe run against the same seven queries sent alone with curl
# (the floor: what Prometheus itself takes), side by side in one run.
# Usage: bench/tune.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
need() { command -v "$1" >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }; }
need hyperfine hyperfine
need promtool prometheus
need curl curl
python3 -c 'import yaml' 2>/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq python3-yaml >/dev/null; }
service prometheus stop >/dev/null 2>&1 || true
cargo build --release --locked -q --bin aiwfe
BIN=$PWD/target/release/aiwfe
work=$(mktemp -d /tmp/aiwfe-tbench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > "$work/prometheus.yml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port

queries_run() { curl -s "$URL/metrics" | awk '/^prometheus_engine_query_duration_seconds_count\{slice="inner_eval"\}/ {print $2}'; }

for ns in 13 63 154; do
    d=$work/$ns
    mkdir -p "$d"
    python3 bench/big_snapshot.py examples/incident.yaml "$d/snap.json" "$ns" >/dev/null
    series=$(python3 - "$d/snap.json" "$d/series.om" <<'PY'
import json, sys, time
snap = json.load(open(sys.argv[1]))
now = int(time.time()) // 60 * 60 - 60
n, step = 360, 60            # 6 hours, scraped every minute
start = now - n * step
cpu, mem = [], []
for it in snap["items"]:
    if it["kind"] != "Pod" or it["status"].get("phase") != "Running":
        continue
    ns, pod = it["metadata"]["namespace"], it["metadata"]["name"]
    for k, c in enumerate(it["spec"]["containers"]):
        l = f'container="{c["name"]}",image="{c["image"]}",instance="10.0.0.{k}:10250",job="kubelet",metrics_path="/metrics/cadvisor",namespace="{ns}",pod="{pod}"'
        seed = sum(map(ord, pod))
        total = 100.0
        for i in range(n):
            t = start + i * step
            rate = 0.005 + 0.002 * ((seed + i * 7919) % 13) + (0.3 if (seed + i) % 97 == 0 else 0)
            cpu.append(f"container_cpu_usage_seconds_total{{{l}}} {total:.4f} {t}")
            total += rate * step
            mem.append(f"container_memory_working_set_bytes{{{l}}} {200 * 2**20 + ((seed * 31 + i * 104729) % (50 * 2**20))} {t}")
with open(sys.argv[2], "w") as f:
    f.write("# TYPE container_cpu_usage_seconds_total counter\n")
    f.write("\n".join(cpu))
    f.write("\n# TYPE container_memory_working_set_bytes gauge\n")
    f.write("\n".join(mem))
    f.write("\n# EOF\n")
print(len(cpu) // n)
PY
    )
    promtool tsdb create-blocks-from openmetrics "$d/series.om" "$d/data" >/dev/null
    rm "$d/series.om"
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$d/data" --web.listen-address=127.0.0.1:$port \
        --storage.tsdb.retention.time=30d --log.level=error >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf "$URL/-/ready" >/dev/null && break; sleep 0.2; done
    containers=$($BIN tune resources -A --snapshot "$d/snap.json" --prometheus $URL --window 6h -o json \
        | python3 -c 'import json,sys; v=json.load(sys.stdin); print(sum(1 for r in v["recommendations"] if r["samples"]))')
    before=$(queries_run)
    $BIN tune resources -A --snapshot "$d/snap.json" --prometheus $URL --window 6h -o json >/dev/null
    after=$(queries_run)
    # The seven queries aiwfe sends, alone, one after another as aiwfe sends them.
    $BIN tune resources -A --snapshot "$d/snap.json" --prometheus $URL --window 6h -o json >/dev/null
    python3 - "$d/q.sh" "$URL" <<'PY'
import sys, shlex
sel = 'container!="",container!="POD"'
cpu = f'max by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{{{sel}}}[300s]))'
mem = f'container_memory_working_set_bytes{{{sel}}}'
w, s = "21600s", "300s"
qs = [f"quantile_over_time(0.95, ({cpu})[{w}:{s}])", f"avg_over_time(({cpu})[{w}:{s}])", f"count_over_time(({cpu})[{w}:{s}])",
      f"min_over_time(timestamp({cpu})[{w}:{s}])", f"max_over_time(timestamp({cpu})[{w}:{s}])",
      f"max by (namespace, pod, container) (max_over_time({mem}[{w}]))", f"max by (namespace, pod, container) (avg_over_time({mem}[{w}]))"]
with open(sys.argv[1], "w") as f:
    for q in qs:
        f.write(f"curl -s -o /dev/null --data-urlencode query={shlex.quote(q)} {sys.argv[2]}/api/v1/query\n")
PY
    hyperfine --runs "$RUNS" --warmup 1 -N --export-json "$d/r.json" \
        -n "aiwfe" "$BIN tune resources -A --snapshot $d/snap.json --prometheus $URL --window 6h -o json" \
        -n "queries alone" "bash $d/q.sh" >/dev/null
    python3 - "$d/r.json" "$series" "$containers" "$before" "$after" >> "$work/rows" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(sys.argv[2], sys.argv[3], int(float(sys.argv[5]) - float(sys.argv[4])), r["aiwfe"], r["queries alone"])
PY
    kill $pid; wait $pid 2>/dev/null || true; pid=
done
python3 - "$work/rows" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
base = float(rows[0][3])
print(f"{'containers':>10} {'rows':>5} {'queries':>7} {'aiwfe':>9} {'queries alone':>13} {'aiwfe/queries':>13} {'time vs first':>13}")
for c, n, q, a, qa in rows:
    a, qa = float(a), float(qa)
    print(f"{c:>10} {n:>5} {q:>7} {a*1000:>7.0f}ms {qa*1000:>11.0f}ms {a/qa:>12.2f}x {a/base:>12.2f}x")
print("containers: pod containers with series in Prometheus; rows: Deployment containers recommended")
PY
