#!/usr/bin/env bash
# Whole-process benchmark of `aiwfe doctor` against healthy local Redis and PostgreSQL,
# side by side in one run with the plain clients doing the least they can (redis-cli PING,
# psql SELECT 1), so the figure to read is the ratio, not a lone time. Target: median
# under 0.3 s. Usage: bench/doctor.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}

command -v hyperfine >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq hyperfine >/dev/null; }
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --locked -q
BIN=target/release/aiwfe

work=$(mktemp -d /tmp/aiwfe-bench.XXXXXX)
chmod 755 "$work"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port); PPORT=$(free_port)
RPW=bench-redis-pw; PPW=bench-pg-pw

cleanup() {
    [ -n "${RPID:-}" ] && kill "$RPID" 2>/dev/null || true
    as_pg "$PGBIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --requirepass "$RPW" --loglevel warning >/dev/null &
RPID=$!
mkdir -p "$work/pg"; echo "$PPW" > "$work/pw"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$work"
as_pg "$PGBIN/initdb" -D "$work/pg" -U postgres --pwfile="$work/pw" --auth-host=scram-sha-256 -N >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$work/pg" -o "-p $PPORT -k $work -c listen_addresses=127.0.0.1" -l "$work/log" -w start >/dev/null

export AIWFE_REDIS_URL="redis://:$RPW@127.0.0.1:$RPORT"
export AIWFE_POSTGRES_URL="postgres://postgres:$PPW@127.0.0.1:$PPORT/postgres"
$BIN doctor -o json >/dev/null || { $BIN doctor; echo "doctor is not healthy against the bench servers" >&2; exit 1; }

hyperfine --runs "$RUNS" --warmup 3 -N --export-json "$work/result.json" \
    -n "aiwfe doctor" "$BIN doctor -o json" \
    -n "redis-cli PING + psql SELECT 1" "sh -c 'REDISCLI_AUTH=$RPW redis-cli -p $RPORT PING >/dev/null && PGPASSWORD=$PPW psql -X -h 127.0.0.1 -p $PPORT -U postgres -Atc \"SELECT 1\" >/dev/null'"

python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b = r[0]["median"], r[1]["median"]
print(f"\naiwfe doctor median {a*1000:.1f} ms; plain clients median {b*1000:.1f} ms; ratio {a/b:.2f}x")
print("target (median < 300 ms):", "met" if a < 0.3 else "MISSED")
PY
