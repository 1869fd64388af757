#!/usr/bin/env bash
# Issue 9: our gateway and PostGraphile 5, side by side, on the same PostgreSQL database,
# the same rows and the same machine, in one run. Prints one table (see docs/benchmarks.md).
#
#   benches/run.sh [-d SECONDS] [-n CLIENTS] [-c CONNECTIONS]
#
#   -d  seconds of load per operation and server (default 15; use 3 to check the script)
#   -n  drivers in the dataset (default 1000: 2,000 contracts, 104,000 invoices)
#   -c  concurrent connections (default 32)
#
# Environment: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres, trust auth),
# BENCH_DB (default bench: dropped and created here, never `test`), CARGO_TARGET_DIR,
# OUR_PORT/PGL_PORT (default 18080/18081), KEEP_DB=1 to keep the database afterwards,
# GATEWAY_BIN=path to use an already built server instead of `cargo build --release`.
# PostGraphile runs with benches/postgraphile/graphile.config.mjs: the amber preset, every
# column orderable (as our listing orders drivers by name).
# Needs: cargo, npm, wrk, psql, pgbench, python3, curl.
set -euo pipefail

DURATION=15
CLIENTS=1000
CONNECTIONS=32
while getopts "d:n:c:h" opt; do
  case "$opt" in
    d) DURATION=$OPTARG ;;
    n) CLIENTS=$OPTARG ;;
    c) CONNECTIONS=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/benches
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
BENCH_DB=${BENCH_DB:-bench}
if [ "$BENCH_DB" = test ]; then
  echo "BENCH_DB must not be the test database" >&2
  exit 2
fi
DB_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
OUR_PORT=${OUR_PORT:-18080}
PGL_PORT=${PGL_PORT:-18081}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d)
OUR_PID=""
PGL_PID=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  for pid in $OUR_PID $PGL_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_DB:-0}" != 1 ]; then
    dropdb --if-exists "$BENCH_DB" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in cargo npm wrk psql pgbench python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

# --- PostgreSQL and the dataset -------------------------------------------------------
if ! pg_isready -q; then
  log "starting PostgreSQL"
  pg_ctlcluster 15 main start
  for _ in $(seq 50); do pg_isready -q && break; sleep 0.2; done
fi

if [ -n "${GATEWAY_BIN:-}" ]; then
  GATEWAY=$GATEWAY_BIN
else
  log "building the release server"
  (cd "$ROOT" && cargo build --release --quiet --bin gateway)
  GATEWAY=$TARGET/release/gateway
fi

if [ ! -x "$BENCH/postgraphile/node_modules/.bin/node" ]; then
  log "installing PostGraphile (npm ci)"
  (cd "$BENCH/postgraphile" && npm ci --no-audit --no-fund --loglevel=error)
fi
NODE=$BENCH/postgraphile/node_modules/.bin/node
PGL_CLI=$BENCH/postgraphile/node_modules/postgraphile/dist/cli-run.js

log "creating database $BENCH_DB and loading $CLIENTS drivers"
dropdb --if-exists "$BENCH_DB"
createdb "$BENCH_DB"
SEED_START=$(date +%s.%N)
DATABASE_URL=$DB_URL RUST_LOG=warn "$GATEWAY" seed --bench --clients "$CLIENTS"
SEED_SECONDS=$(python3 -c "import time; print(f'{time.time() - $SEED_START:.1f}')")
# A database in its steady state, as autovacuum keeps it: visibility map set (index-only
# scans), statistics current. Both servers read the same tables.
psql -d "$BENCH_DB" -qc "VACUUM ANALYZE"
INVOICES=$(psql -d "$BENCH_DB" -Atc "SELECT count(*) FROM invoices")

# --- the two servers ------------------------------------------------------------------
wait_http() { # url pid name
  for _ in $(seq 300); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited; log: $WORK/$3.log" >&2; cat "$WORK/$3.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$3 did not answer on $1" >&2
  exit 1
}

log "starting our server on 127.0.0.1:$OUR_PORT"
APP_ENV=production \
  JWT_SECRET=bench-only-secret-0123456789abcdef0123456789 \
  DATABASE_URL=$DB_URL BIND=127.0.0.1:$OUR_PORT \
  AUTO_CHARGE_PERIOD_SECS=0 RUST_LOG=warn \
  "$GATEWAY" serve >"$WORK/ours.log" 2>&1 &
OUR_PID=$!
wait_http "http://127.0.0.1:$OUR_PORT/ready" "$OUR_PID" ours

log "starting PostGraphile 5 on 127.0.0.1:$PGL_PORT"
(cd "$BENCH/postgraphile" && GRAPHILE_ENV=production exec "$NODE" "$PGL_CLI" \
  -c "$DB_URL" -s public -n 127.0.0.1 -p "$PGL_PORT" \
  -C graphile.config.mjs) >"$WORK/postgraphile.log" 2>&1 &
PGL_PID=$!
# PostGraphile answers GET /graphql with 405 until asked properly; its front page is enough.
for _ in $(seq 300); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"query":"{__typename}"}' "http://127.0.0.1:$PGL_PORT/graphql" && break
  kill -0 "$PGL_PID" 2>/dev/null || { cat "$WORK/postgraphile.log" >&2; exit 1; }
  sleep 0.1
done

# --- request bodies and tokens --------------------------------------------------------
OURS=http://127.0.0.1:$OUR_PORT/graphql
PGL=http://127.0.0.1:$PGL_PORT/graphql

body() { # out-file query-file variables-json
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
out, query, variables = sys.argv[1], sys.argv[2], sys.argv[3]
with open(query) as f:
    document = f.read()
with open(out, "w") as f:
    json.dump({"query": document, "variables": json.loads(variables)}, f)
PY
}

post() { # url body-file [token]
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -fsS -X POST -H 'Content-Type: application/json' "${auth[@]}" --data-binary "@$2" "$1"
}

token() { # document
  printf '{"query":"mutation($i: LoginInput!) { login(input: $i) { session { accessToken } } }","variables":{"i":{"document":"%s","password":"bench1234","organization":"leasy-bench"}}}' "$1" >"$WORK/login.json"
  post "$OURS" "$WORK/login.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["session"]["accessToken"])'
}
STAFF_TOKEN=$(token 90000001)
DRIVER_TOKEN=$(token 80000000)
DRIVER_ID=$(psql -d "$BENCH_DB" -Atc "SELECT id FROM users WHERE document = '80000000'")

Q=$BENCH/queries
body "$WORK/ours-1.json" "$Q/typename.graphql" '{}'
body "$WORK/ours-2.json" "$Q/nested_page.graphql" '{"first": 50}'
body "$WORK/ours-3.json" "$Q/nested_page.graphql" '{"first": 500}'
body "$WORK/ours-4.json" "$Q/dashboard.graphql" '{}'
body "$WORK/pgl-1.json" "$Q/typename.graphql" '{}'
body "$WORK/pgl-2.json" "$Q/postgraphile/nested_page.graphql" '{"first": 50}'
body "$WORK/pgl-3.json" "$Q/postgraphile/nested_page.graphql" '{"first": 500}'
body "$WORK/pgl-4.json" "$Q/postgraphile/dashboard.graphql" "{\"id\": \"$DRIVER_ID\"}"

OUR_TOKENS=("" "$STAFF_TOKEN" "$STAFF_TOKEN" "$DRIVER_TOKEN")
NAMES=("{ __typename }" "nested page, 50 drivers" "nested page, 500 drivers" "driver dashboard")

# Every operation must answer without errors on both sides before anything is timed.
check() { # url body-file token label -> response bytes
  post "$1" "$2" "$3" >"$WORK/reply.json"
  if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if "errors" not in r and r.get("data") else 1)' "$WORK/reply.json"; then
    wc -c <"$WORK/reply.json"
  else
    echo "$4 answered with errors: $(head -c 2000 "$WORK/reply.json")" >&2
    exit 1
  fi
}

statements() {
  # Every GraphQL request's statements, summed over the operation and outcome labels.
  curl -fs "http://127.0.0.1:$OUR_PORT/metrics" |
    awk '/^graphql_sql_statements_per_request_sum/{total += $2} END {print total + 0}'
}

# Resets a process's peak resident memory (Linux clear_refs 5), so that each operation's
# peak is its own.
reset_peak() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }
peak_mib() { awk '/^VmHWM/{printf "%.0f", $2/1024}' "/proc/$1/status"; }
# CPU time (user + system, in clock ticks) of a process, and of every PostgreSQL process:
# what a request costs whatever else the machine runs at the same time.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() {
  local sum=0 pid
  for pid in $(pgrep -u postgres postgres); do
    sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum"
}
HZ=$(getconf CLK_TCK)
per_request_ms() { # ticks requests
  # A PostgreSQL backend that exits during the load takes its ticks with it: "n/a".
  python3 -c "import sys; t, n = int(sys.argv[1]), int(sys.argv[2]); print(f'{t * 1000 / $HZ / n:.2f}' if n and t >= 0 else 'n/a')" "$1" "$2"
}

load() { # seconds url body-file token -> RESULT line
  BODY_FILE=$3 TOKEN=$4 wrk -t2 -c"$CONNECTIONS" -d"${1}s" --timeout 10s \
    -s "$BENCH/wrk/graphql.lua" "$2" | grep '^RESULT'
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

ROWS=()
for i in 0 1 2 3; do
  op=$((i + 1))
  ours_body=$WORK/ours-$op.json
  pgl_body=$WORK/pgl-$op.json
  tok=${OUR_TOKENS[$i]}
  ours_bytes=$(check "$OURS" "$ours_body" "$tok" "ours, operation $op")
  pgl_bytes=$(check "$PGL" "$pgl_body" "" "PostGraphile, operation $op")
  before=$(statements)
  post "$OURS" "$ours_body" "$tok" >/dev/null
  after=$(statements)
  sql=$((after - before))
  log "operation $op (${NAMES[$i]}): warming both servers"
  load 2 "$OURS" "$ours_body" "$tok" >/dev/null
  load 2 "$PGL" "$pgl_body" "" >/dev/null
  log "operation $op: loading our server for ${DURATION}s"
  reset_peak "$OUR_PID"
  cpu0=$(ticks "$OUR_PID")
  pg0=$(pg_ticks)
  ours=$(load "$DURATION" "$OURS" "$ours_body" "$tok")
  ours_cpu=$(per_request_ms $(($(ticks "$OUR_PID") - cpu0)) "$(field "$ours" requests)")
  ours_pg=$(per_request_ms $(($(pg_ticks) - pg0)) "$(field "$ours" requests)")
  ours_mem=$(peak_mib "$OUR_PID")
  log "operation $op: loading PostGraphile for ${DURATION}s"
  reset_peak "$PGL_PID"
  cpu0=$(ticks "$PGL_PID")
  pg0=$(pg_ticks)
  pgl=$(load "$DURATION" "$PGL" "$pgl_body" "")
  pgl_cpu=$(per_request_ms $(($(ticks "$PGL_PID") - cpu0)) "$(field "$pgl" requests)")
  pgl_pg=$(per_request_ms $(($(pg_ticks) - pg0)) "$(field "$pgl" requests)")
  pgl_mem=$(peak_mib "$PGL_PID")
  ROWS+=("$op|${NAMES[$i]}|$ours|$pgl|$sql|$ours_mem|$pgl_mem|$ours_bytes|$pgl_bytes|$ours_cpu|$pgl_cpu|$ours_pg|$pgl_pg")
done

# --- PostgreSQL alone: operation 2 as one hand-written statement -------------------------
log "pgbench: operation 2 as one SQL statement for ${DURATION}s"
(cd "$WORK" && pgbench -n -c "$CONNECTIONS" -j 2 -T "$DURATION" -D first=50 -l \
  --log-prefix=pgblog -f "$BENCH/sql/nested_page.sql" "$BENCH_DB" >"$WORK/pgbench.out" 2>&1) || {
  cat "$WORK/pgbench.out" >&2
  exit 1
}
PGB_TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/pgbench.out" | head -1)
PGB_TPS=$(printf "%.1f" "${PGB_TPS:-0}")
PGB_LAT=$(cat "$WORK"/pgblog.* | awk '{print $3}' | sort -n |
  awk '{v[NR]=$1} END {if (NR) printf "%.2f %.2f", v[int(NR*0.5)+1]/1000, v[int(NR*0.99)+1]/1000}')

# --- the table ---------------------------------------------------------------------------
CPU=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
echo
echo "Run of $(date -u +%Y-%m-%dT%H:%MZ): ${DURATION}s per operation and server, $CONNECTIONS connections (wrk -t2)."
echo
echo "Machine: $(nproc) CPUs ($CPU), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Dataset: $CLIENTS drivers, $INVOICES invoices, loaded by \`seed --bench\` in ${SEED_SECONDS}s. PostgreSQL $(psql -Atc 'SHOW server_version'), PostGraphile $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$BENCH/postgraphile/node_modules/postgraphile/package.json") on Node $("$NODE" --version)."
echo
echo "| operation | server | req/s | p50 ms | p99 ms | errors | SQL statements / request | server CPU ms / request | PostgreSQL CPU ms / request | peak RSS MiB | response bytes |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
errors() { echo $(($(field "$1" graphql_errors) + $(field "$1" http_errors) + $(field "$1" socket_errors))); }
for row in "${ROWS[@]}"; do
  IFS='|' read -r op name ours pgl sql ours_mem pgl_mem ours_bytes pgl_bytes ours_cpu pgl_cpu ours_pg pgl_pg <<<"$row"
  echo "| $op. $name | ours | $(field "$ours" rps) | $(field "$ours" p50_ms) | $(field "$ours" p99_ms) | $(errors "$ours") | $sql | $ours_cpu | $ours_pg | $ours_mem | $ours_bytes |"
  echo "| | PostGraphile | $(field "$pgl" rps) | $(field "$pgl" p50_ms) | $(field "$pgl" p99_ms) | $(errors "$pgl") | — | $pgl_cpu | $pgl_pg | $pgl_mem | $pgl_bytes |"
done
read -r PGB_P50 PGB_P99 <<<"${PGB_LAT:-- -}"
echo "| 2. one hand-written SQL statement | pgbench | $PGB_TPS | $PGB_P50 | $PGB_P99 | 0 | 1 | | | | |"
echo
echo "Ratios (ours / PostGraphile, requests per second):"
for row in "${ROWS[@]}"; do
  IFS='|' read -r op name ours pgl _ <<<"$row"
  python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'- operation {sys.argv[3]} ({sys.argv[4]}): {a / b:.2f}x' if b else '-')" \
    "$(field "$ours" rps)" "$(field "$pgl" rps)" "$op" "$name"
done
