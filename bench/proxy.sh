#!/usr/bin/env bash
# Relay throughput through `aiwfe proxy` (cached token) against Debian's nginx as a plain
# WebSocket reverse proxy (no auth), side by side in one run, in front of the same local
# echo server (examples/ws_echo.rs); the echo server reached directly is the reference.
# The load generator is closed-loop: `aiwfe probe ws --hold --await-echo --size 1024`, each
# connection sends one 1 KiB message, waits for its echo, then sends the next, so the figures
# are what each path sustains (msgs/s = echoes ÷ hold time, all connections) and the round
# trip a message takes through it (median and p99), at 100 and at 1,000 connections, and
# the CPU time (user + system) the proxy under test spent per echoed message: on two cores
# shared by generator, proxy and echo server, that is the figure least moved by other load.
# Then handshake latency added by the proxy (cached token), with `aiwfe probe ws --compare`
# through the proxy and directly: 5,000 handshakes 100 at a time (CPU queueing on the shared
# cores included) and 500 one at a time (the proxy's own cost per handshake).
# Then the RSS of a fresh proxy holding IDLE idle connections (two sockets each; a process
# here may hold at most 20,000 open files), against the same proxy holding none.
# The throughput table is measured RUNS times in a row (each run, at 100 and at 1,000
# connections: direct, then proxy, nginx, nginx, proxy, each path's figures the mean of its
# two), with the machine's busy CPU per message (see the loop). RELAY_ONLY=1 skips the handshake and idle parts;
# PROXY_BIN=path runs another aiwfe build as the proxy under test (the generator stays);
# CARGO_TARGET_DIR is followed (the binaries are taken from where cargo built them).
# Usage: bench/proxy.sh [HOLD_SECONDS] [IDLE] [RUNS]   (defaults 10, 9000, 1)
set -euo pipefail
cd "$(dirname "$0")/.."
HOLD=${1:-10}
IDLE=${2:-9000}
RUNS=${3:-1}

if ! command -v nginx >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then echo "install nginx (apt-get install nginx) and run again" >&2; exit 2; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx >/dev/null
    service nginx stop >/dev/null 2>&1 || true
fi
cargo build --release --locked -q --bin aiwfe --example ws_echo
REL=${CARGO_TARGET_DIR:-target}/release
BIN=$REL/aiwfe
PROXY_BIN=${PROXY_BIN:-$BIN}
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/aiwfe-proxybench.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

$REL/examples/ws_echo 127.0.0.1:0 >"$work/addr" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/addr" ] && break; sleep 0.1; done
ECHO=$(cat "$work/addr")

# aiwfe proxy with an HS256 secret and a token valid for an hour.
printf 'bench-secret-0123456789abcdef0123' >"$work/secret"
TOKEN=$(python3 - "$work/secret" <<'PY'
import base64, hashlib, hmac, json, sys, time
b = lambda x: base64.urlsafe_b64encode(x).rstrip(b"=").decode()
key = open(sys.argv[1], "rb").read()
msg = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b(json.dumps({"sub": "bench", "exp": int(time.time()) + 3600}).encode())
print(msg + "." + b(hmac.new(key, msg.encode(), hashlib.sha256).digest()))
PY
)
export TOKEN
PPORT=$(free_port)
$PROXY_BIN proxy --listen "127.0.0.1:$PPORT" --upstream "ws://$ECHO" --jwt-secret-file "$work/secret" 2>"$work/proxy.log" &
pids+=($!)
PROXY_PID=$!

NPORT=$(free_port)
cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
daemon off;
events { worker_connections 8192; }
http {
    access_log off;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
    upstream echo { server $ECHO; }
    server {
        listen 127.0.0.1:$NPORT;
        location / {
            proxy_pass http://echo;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_read_timeout 1h;
        }
    }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
NGINX_PID=$!
for port in "$PPORT" "$NPORT"; do
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done
echo "echo server $ECHO; aiwfe proxy :$PPORT; nginx :$NPORT; $(nproc) cores; hold ${HOLD}s, 1 KiB messages"

field() { python3 -c "import json,sys; v=json.load(open(sys.argv[1])); m={x['name']:x['value'] for x in v['checks'][0]['measurements']}; print(m.get(sys.argv[2], 0))" "$@"; }
# problems FILE WHAT: the errors and warnings of a probe report, on stderr, so a failed run
# (a server that went away, a port taken) is never read as a slow one.
problems() {
    python3 - "$@" >&2 <<'PY' || echo "$2: no report" >&2
import json, sys
v = json.load(open(sys.argv[1]))
for c in v["checks"]:
    for f in c["findings"]:
        if f["severity"] in ("warning", "error"):
            print(f"  {sys.argv[2]}: {f['severity']} {f['code']}: {f['summary']}" + (f" ({f['evidence']})" if f.get("evidence") else ""))
PY
}
# CPU time (user and system, clock ticks) the given processes have used so far: "USER SYS".
cpu_ticks() {
    local u=0 s=0 p us
    for p in "$@"; do
        us=$(awk '{print $14, $15}' "/proc/$p/stat" 2>/dev/null || echo "0 0")
        u=$((u + ${us% *})); s=$((s + ${us#* }))
    done
    echo "$u $s"
}
TICK=$(getconf CLK_TCK)
# Busy CPU time of the whole machine so far (all cores, clock ticks): what generator, proxy
# and echo server (and anything else running) spent.
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
# load URL N [PID...] -> prints "msgs/s rtt_p50_ms rtt_p99_ms held_connections cpu_us_per_msg
# user_us_per_msg machine_us_per_msg": the CPU (user + system, and user alone) the given
# processes (the proxy under test) spent per echoed message, both hops, and the busy CPU
# of the whole machine per echoed message.
load() {
    local url=$1 n=$2 out="$work/run.json"
    shift 2
    local c0 c1 b0 b1
    c0=$(cpu_ticks "$@")
    b0=$(busy_ticks)
    $BIN probe ws "$url" -n "$n" -c "$n" --hold "${HOLD}s" --await-echo --size 1024 \
        --token-env TOKEN --timeout 60s -o json >"$out" 2>/dev/null || true
    c1=$(cpu_ticks "$@")
    b1=$(busy_ticks)
    problems "$out" "$url -n $n"
    local rate
    rate=$(field "$out" messages_per_second)
    python3 -c "
u0, s0, u1, s1, rate = ${c0// /, }, ${c1// /, }, $rate
m = max(rate * $HOLD, 1)
print($rate, $(field "$out" message_rtt_p50_ms), $(field "$out" message_rtt_p99_ms), $(field "$out" succeeded),
      f'{(u1 + s1 - u0 - s0) / $TICK / m * 1e6:.2f}', f'{(u1 - u0) / $TICK / m * 1e6:.2f}', f'{($b1 - $b0) / $TICK / m * 1e6:.2f}')"
}

# Each run measures, at 100 and at 1,000 connections: direct, then proxy, nginx, nginx,
# proxy (an ABBA order: a drift of the machine's speed during the run weighs on both alike),
# each figure of a path the mean of its two measurements. Both proxies make the same
# system calls and send the same TCP segments per message (4 of each, no pure ACKs), so
# when the cores are saturated throughput follows the machine's busy CPU per message
# (generator, echo server and proxy together), shown last.
for run in $(seq "$RUNS"); do
printf '\nrun %s\n%-12s %-12s %10s %12s %12s %6s %12s %12s %13s\n' "$run" connections target "msgs/s" "rtt p50" "rtt p99" held "cpu/msg" "user/msg" "machine/msg"
for n in 100 1000; do
    read -r d d50 d99 dok _ _ dm < <(load "ws://$ECHO/" "$n")
    nginx_pids=$(pgrep -P "$NGINX_PID" | tr '\n' ' ')
    # shellcheck disable=SC2086
    {
        read -r -a A1 < <(load "ws://127.0.0.1:$PPORT/" "$n" "$PROXY_PID")
        read -r -a G1 < <(load "ws://127.0.0.1:$NPORT/" "$n" $nginx_pids)
        read -r -a G2 < <(load "ws://127.0.0.1:$NPORT/" "$n" $nginx_pids)
        read -r -a A2 < <(load "ws://127.0.0.1:$PPORT/" "$n" "$PROXY_PID")
    }
    python3 - "$n" "$d" "$d50" "$d99" "$dok" "$dm" "${A1[*]}" "${A2[*]}" "${G1[*]}" "${G2[*]}" <<'PY'
import sys
n, d, d50, d99, dok, dm = (float(x) for x in sys.argv[1:7])
a1, a2, g1, g2 = ([float(x) for x in v.split()] for v in sys.argv[7:11])
mean = lambda x, y: [(p + q) / 2 for p, q in zip(x, y)]
a, g = mean(a1, a2), mean(g1, g2)
print(f"{n:<12.0f} {'direct':<12} {d:10.0f} {d50:9.3f} ms {d99:9.3f} ms {dok:6.0f} {'-':>12} {'-':>12} {dm:10.2f} us")
for name, v, (x, y) in (("aiwfe proxy", a, (a1, a2)), ("nginx", g, (g1, g2))):
    print(f"{n:<12.0f} {name:<12} {v[0]:10.0f} {v[1]:9.3f} ms {v[2]:9.3f} ms {v[3]:6.0f} {v[4]:9.2f} us {v[5]:9.2f} us {v[6]:10.2f} us"
          f"   ({x[0]:.0f} and {y[0]:.0f} msgs/s)")
print(f"{n:<12.0f} aiwfe proxy / nginx: throughput {a[0] / max(g[0], 1):.2f}, median RTT {a[1] / max(g[1], 0.001):.2f}, "
      f"p99 RTT {a[2] / max(g[2], 0.001):.2f}, CPU per message {a[4] / max(g[4], 0.001):.2f}, "
      f"user time per message {a[5] / max(g[5], 0.001):.2f}, machine CPU per message {a[6] / max(g[6], 0.001):.2f}   "
      f"(throughput vs direct: proxy {a[0] / max(d, 1):.2f}, nginx {g[0] / max(d, 1):.2f})")
PY
done
done
echo
echo "aiwfe proxy VmHWM: $(awk '/VmHWM/{print $2}' /proc/$PROXY_PID/status) kB"
curl -s "http://127.0.0.1:$PPORT/metrics" 2>/dev/null | grep -E '^(auth_cache_(hits|misses)_total|auth_failures_total)' || true

[ "${RELAY_ONLY:-0}" = 1 ] && exit 0

# ---------------------------------------------------------------- handshake latency added
# handshakes N C -> one line: through the proxy vs directly, and what the proxy adds.
handshakes() {
    local n=$1 c=$2
    $BIN probe ws "ws://127.0.0.1:$PPORT/" --compare "ws://$ECHO/" -n "$n" -c "$c" --token-env TOKEN --timeout 30s \
        -o json >"$work/hs.json" 2>/dev/null || true
    problems "$work/hs.json" "handshakes -n $n -c $c"
    python3 - "$work/hs.json" "$n" "$c" <<'PY' || true
import json, sys
v = json.load(open(sys.argv[1]))
m = [{x["name"]: x["value"] for x in c["measurements"]} for c in v["checks"]]
p, d = m[0], m[1]
n, c = int(sys.argv[2]), int(sys.argv[3])
q = ["p50", "p90", "p99"]
fig = lambda m: ", ".join(f"{k} {m[f'total_{k}_ms']:.3f}" for k in q)
print(f"handshakes, {n:,} at -c {c}: through the proxy {fig(p)} ms; directly {fig(d)} ms; failed {p['failed']:.0f} + {d['failed']:.0f}")
print(f"  added by the proxy at -c {c}: " + ", ".join(
    f"{k} {p[f'total_{k}_ms'] - d[f'total_{k}_ms']:+.3f} ms (ratio {p[f'total_{k}_ms'] / d[f'total_{k}_ms']:.2f})" for k in q))
PY
}
echo
handshakes 5000 100
handshakes 500 1

# ---------------------------------------------------------------- RSS per idle connection
MPORT=$(free_port)
$BIN proxy --listen "127.0.0.1:$MPORT" --upstream "ws://$ECHO" --jwt-secret-file "$work/secret" 2>>"$work/proxy.log" &
pids+=($!)
MPID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MPORT") 2>/dev/null && break; sleep 0.1; done
base=$(awk '/VmRSS/{print $2}' /proc/$MPID/status)
$BIN probe ws "ws://127.0.0.1:$MPORT/" -n "$IDLE" -c "$IDLE" --hold 30s --token-env TOKEN --timeout 60s -o json >"$work/idle.json" &
GPID=$!
pids+=($GPID)
for _ in $(seq 120); do
    [ "$(ls /proc/$MPID/fd | wc -l)" -ge $((2 * IDLE)) ] && break
    sleep 0.5
done
sleep 2
fds=$(ls /proc/$MPID/fd | wc -l)
rss=$(awk '/VmRSS/{print $2}' /proc/$MPID/status)
wait "$GPID" || true
python3 -c "print(f'aiwfe proxy holding $IDLE idle connections ($fds fds): VmRSS {$rss/1024:.1f} MiB, {$base/1024:.1f} MiB holding none; {($rss-$base)/$IDLE:.1f} KiB per connection')"
