#!/usr/bin/env bash
# Whole-process benchmark of `aiwfe probe ws` against a local echo server
# (examples/ws_echo.rs), side by side in one run with a plain client doing the same work:
#   1. N connections at -c 100 (open, close): connections per second over the whole process
#      and the handshake p99, for aiwfe and for Python's `websockets` client;
#   2. RSS of aiwfe while it holds 10,000 connections (--hold), against its RSS holding one.
# Usage: bench/ws.sh [N] [HELD]   (defaults 10000 and 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
HELD=${2:-10000}

python3 -c 'import websockets' 2>/dev/null || python3 -m pip install --quiet websockets 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages websockets
cargo build --release --locked -q --bin aiwfe --example ws_echo
BIN=target/release/aiwfe
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/aiwfe-wsbench.XXXXXX)
cleanup() {
    [ -n "${EPID:-}" ] && kill "$EPID" 2>/dev/null || true
    [ -n "${HPID:-}" ] && kill "$HPID" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

target/release/examples/ws_echo 127.0.0.1:0 >"$work/addr" &
EPID=$!
for _ in $(seq 50); do [ -s "$work/addr" ] && break; sleep 0.1; done
ADDR=$(cat "$work/addr")
URL="ws://$ADDR/"
echo "echo server on $ADDR; $(nproc) cores"

# ---------------------------------------------------------------- 1. handshakes at -c 100
field() { python3 -c "import json,sys; v=json.load(open(sys.argv[1])); m={x['name']:x['value'] for x in v['checks'][0]['measurements']}; print(m.get(sys.argv[2], 'n/a'))" "$@"; }

start=$(date +%s.%N)
$BIN probe ws "$URL" -n "$N" -c 100 --timeout 30s -o json >"$work/aiwfe.json" || true
end=$(date +%s.%N)
a_ok=$(field "$work/aiwfe.json" succeeded)
a_wall=$(python3 -c "print(f'{$a_ok/($end-$start):.0f}')")
a_rate=$(field "$work/aiwfe.json" handshakes_per_s)
a_p50=$(field "$work/aiwfe.json" total_p50_ms)
a_p99=$(field "$work/aiwfe.json" total_p99_ms)

cat >"$work/client.py" <<'PY'
import asyncio, sys, time
from websockets.asyncio.client import connect

async def main(url, n, c):
    lat, sem = [], asyncio.Semaphore(c)
    async def one():
        async with sem:
            t = time.perf_counter()
            async with connect(url, compression=None):
                lat.append(time.perf_counter() - t)
    await asyncio.gather(*(one() for _ in range(n)))
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print(len(lat), f"{q(0.5):.3f}", f"{q(0.99):.3f}")

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
PY
start=$(date +%s.%N)
read -r p_ok p_p50 p_p99 < <(python3 "$work/client.py" "$URL" "$N" 100)
end=$(date +%s.%N)
p_wall=$(python3 -c "print(f'{$p_ok/($end-$start):.0f}')")

# ---------------------------------------------------------------- 2. RSS holding connections
# Samples aiwfe's VmRSS/VmHWM from /proc while it holds $1 connections; prints the RSS once
# every connection is open (fd count), the peak RSS and the result's succeeded count.
held_rss() {
    local n=$1 hold=$2
    $BIN probe ws "$URL" -n "$n" -c "$n" --hold "$hold" --timeout 60s -o json >"$work/hold.json" &
    HPID=$!
    local rss=0 hwm=0 fds=0
    while kill -0 "$HPID" 2>/dev/null; do
        fds=$(ls /proc/$HPID/fd 2>/dev/null | wc -l || echo 0)
        if [ "$fds" -ge "$n" ]; then
            rss=$(awk '/VmRSS/{print $2}' /proc/$HPID/status 2>/dev/null || echo "$rss")
        fi
        hwm=$(awk '/VmHWM/{print $2}' /proc/$HPID/status 2>/dev/null || echo "$hwm")
        sleep 0.5
    done
    wait "$HPID" || true
    HPID=
    echo "$rss $hwm $(field "$work/hold.json" succeeded)"
}
read -r one_rss one_hwm one_ok < <(held_rss 1 3s)
read -r rss hwm held_ok < <(held_rss "$HELD" 20s)
server_rss=$(awk '/VmHWM/{print $2}' /proc/$EPID/status)

printf '\n%-40s %14s %16s %12s %12s\n' "client ($N connections, -c 100)" "conns/s (wall)" "handshakes/s" "p50 ms" "p99 ms"
printf '%-40s %14s %16s %12s %12s\n' "aiwfe probe ws" "$a_wall" "$a_rate" "$a_p50" "$a_p99"
printf '%-40s %14s %16s %12s %12s\n' "python websockets client" "$p_wall" "-" "$p_p50" "$p_p99"
python3 - "$rss" "$hwm" "$held_ok" "$HELD" "$one_rss" "$server_rss" <<'PY'
import sys
rss, hwm, ok, held, one, server = (float(x) if x not in ("", "n/a") else 0.0 for x in sys.argv[1:])
print(f"\naiwfe holding {int(ok)} of {int(held)} connections: VmRSS {rss/1024:.1f} MiB, VmHWM {hwm/1024:.1f} MiB "
      f"(holding 1: {one/1024:.1f} MiB; {(rss-one)/max(held,1):.1f} KiB per connection); echo server VmHWM {server/1024:.1f} MiB")
PY
