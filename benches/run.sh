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
# GATEWAY_BIN=path to use an already built server instead of `cargo build --release`,
# ONLY="2 10" to time only those operations (numbered as in the table).
# PostGraphile runs with benches/postgraphile/graphile.config.mjs: the amber preset, every
# column orderable (as our listing orders drivers by name).
# Each operation's answers are checked row for row (benches/compare.py) before it is timed.
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
    *) sed -n '2,18p' "$0"; exit 2 ;;
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
# One transport for every client of the database: plain TCP. node-postgres (PostGraphile)
# does not use TLS unless told to, while libpq (pgbench) and sqlx (our server) prefer it
# when the server offers it, as Debian's PostgreSQL does: TLS cost ours 12% of the
# dashboard's requests per second in session 23, a cost the other side did not pay.
TRANSPORT=sslmode=disable
export PGSSLMODE=disable
# Each server's connections carry their own application_name, so that the CPU of its
# PostgreSQL backends is measured apart (benches/pg_cpu.py).
OUR_APP=bench-ours
PGL_APP=bench-postgraphile
# Read before anything here runs: what else the machine was doing.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
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
  DATABASE_URL="$DB_URL?application_name=$OUR_APP&$TRANSPORT" BIND=127.0.0.1:$OUR_PORT \
  AUTO_CHARGE_PERIOD_SECS=0 RUST_LOG=warn \
  "$GATEWAY" serve >"$WORK/ours.log" 2>&1 &
OUR_PID=$!
wait_http "http://127.0.0.1:$OUR_PORT/ready" "$OUR_PID" ours

log "starting PostGraphile 5 on 127.0.0.1:$PGL_PORT"
(cd "$BENCH/postgraphile" && GRAPHILE_ENV=production exec "$NODE" "$PGL_CLI" \
  -c "$DB_URL?application_name=$PGL_APP&$TRANSPORT" -s public -n 127.0.0.1 -p "$PGL_PORT" \
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
LEDGER_FROM=$(date -d '-200 days' +%F)
LEDGER_TO=$(date -d '+1 day' +%F)
LEDGER_TOKEN=$(token 80000001)
LEDGER_ID=$(psql -d "$BENCH_DB" -Atc "SELECT id FROM users WHERE document = '80000001'")

# Each operation: name | our query | our variables | our token | PostGraphile's query |
# its variables | how benches/compare.py checks that both answers hold the same rows
# ("-": no rows to compare).
OPERATIONS=(
  "{ __typename }|typename.graphql|{}||typename.graphql|{}|-"
  "nested page, 50 drivers|nested_page.graphql|{\"first\": 50}|$STAFF_TOKEN|nested_page.graphql|{\"first\": 50}|nested"
  "nested page, 500 drivers|nested_page.graphql|{\"first\": 500}|$STAFF_TOKEN|nested_page.graphql|{\"first\": 500}|nested"
  "driver dashboard|dashboard.graphql|{}|$DRIVER_TOKEN|dashboard.graphql|{\"id\": \"$DRIVER_ID\"}|dashboard"
  "nested page + contract createdAt, 50 drivers|nested_page_created.graphql|{\"first\": 50}|$STAFF_TOKEN|nested_page_created.graphql|{\"first\": 50}|nested_created"
  "invoices with type, discounts, amount to pay, 50 drivers|invoices_computed.graphql|{\"first\": 50}|$STAFF_TOKEN|invoices_computed.graphql|{\"first\": 50}|invoices"
  "nested page as edges, 50 drivers|nested_page_edges.graphql|{\"first\": 50}|$STAFF_TOKEN|nested_page_edges.graphql|{\"first\": 50}|edges"
  "book page, 100 transactions|book_page.graphql|{\"from\": \"$LEDGER_FROM\", \"to\": \"$LEDGER_TO\"}|$LEDGER_TOKEN|book_page.graphql|{\"id\": \"$LEDGER_ID\"}|book"
  "wallets with last movements, 50 drivers|wallets.graphql|{\"first\": 50}|$STAFF_TOKEN|wallets.graphql|{\"first\": 50}|wallets"
  "sales invoices with customer and items, 50|sales_invoices.graphql|{\"first\": 50}|$STAFF_TOKEN|sales_invoices.graphql|{\"first\": 50}|sales_invoices"
  "invoices computed + car photos (not compiled), 50 drivers|invoices_car_photos.graphql|{\"first\": 50}|$STAFF_TOKEN|invoices_car_photos.graphql|{\"first\": 50}|invoices_photos"
)

# Every operation must answer without errors on both sides, and the same rows, before
# anything is timed.
check() { # url body-file token label out-file -> response bytes
  post "$1" "$2" "$3" >"$5"
  if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if "errors" not in r and r.get("data") else 1)' "$5"; then
    wc -c <"$5"
  else
    echo "$4 answered with errors: $(head -c 2000 "$5")" >&2
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
# CPU time (user + system, in clock ticks) of a process (all its threads); and of the
# PostgreSQL backends of one server, by the application_name each server connects with,
# sampled per backend by benches/pg_cpu.py (the sum over all PostgreSQL processes loses
# the lifetime CPU of every backend that exits during the run, the other server's
# included).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
per_request_ms() { # ticks requests
  python3 -c "import sys; t, n = int(sys.argv[1]), int(sys.argv[2]); print(f'{t * 1000 / $HZ / n:.2f}' if n else 'n/a')" "$1" "$2"
}

load() { # seconds url body-file token -> RESULT line
  BODY_FILE=$3 TOKEN=$4 wrk -t2 -c"$CONNECTIONS" -d"${1}s" --timeout 10s \
    -s "$BENCH/wrk/graphql.lua" "$2" | grep '^RESULT'
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

measure() { # label url body-file token pid application -> "RESULT... cpu pg mem"
  local sampler result requests cpu0
  reset_peak "$5"
  python3 "$BENCH/pg_cpu.py" "$6" >"$WORK/pg_cpu.out" &
  sampler=$!
  sleep 0.3
  cpu0=$(ticks "$5")
  result=$(load "$DURATION" "$2" "$3" "$4")
  local cpu=$(($(ticks "$5") - cpu0))
  kill -TERM "$sampler"
  wait "$sampler" || true
  requests=$(field "$result" requests)
  echo "$result|$(per_request_ms "$cpu" "$requests")|$(per_request_ms "$(cat "$WORK/pg_cpu.out")" "$requests")|$(peak_mib "$5")"
}

ROWS=()
op=0
for operation in "${OPERATIONS[@]}"; do
  op=$((op + 1))
  # ONLY="2 10" times those operations alone (the pgbench floor still runs).
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $op "* ]]; then
    continue
  fi
  IFS='|' read -r name ours_query ours_vars tok pgl_query pgl_vars compare <<<"$operation"
  ours_body=$WORK/ours-$op.json
  pgl_body=$WORK/pgl-$op.json
  body "$ours_body" "$Q/$ours_query" "$ours_vars"
  # PostGraphile's own document where the names differ, else the same one.
  pgl_document=$Q/postgraphile/$pgl_query
  [ -f "$pgl_document" ] || pgl_document=$Q/$pgl_query
  body "$pgl_body" "$pgl_document" "$pgl_vars"
  ours_bytes=$(check "$OURS" "$ours_body" "$tok" "ours, operation $op" "$WORK/ours-$op.reply")
  pgl_bytes=$(check "$PGL" "$pgl_body" "" "PostGraphile, operation $op" "$WORK/pgl-$op.reply")
  if [ "$compare" != - ]; then
    python3 "$BENCH/compare.py" "$compare" "$WORK/ours-$op.reply" "$WORK/pgl-$op.reply"
  fi
  before=$(statements)
  post "$OURS" "$ours_body" "$tok" >/dev/null
  after=$(statements)
  sql=$((after - before))
  log "operation $op ($name): warming both servers"
  load 2 "$OURS" "$ours_body" "$tok" >/dev/null
  load 2 "$PGL" "$pgl_body" "" >/dev/null
  log "operation $op: loading our server for ${DURATION}s"
  IFS='|' read -r ours ours_cpu ours_pg ours_mem \
    <<<"$(measure ours "$OURS" "$ours_body" "$tok" "$OUR_PID" "$OUR_APP")"
  log "operation $op: loading PostGraphile for ${DURATION}s"
  IFS='|' read -r pgl pgl_cpu pgl_pg pgl_mem \
    <<<"$(measure postgraphile "$PGL" "$pgl_body" "" "$PGL_PID" "$PGL_APP")"
  ROWS+=("$op|$name|$ours|$pgl|$sql|$ours_mem|$pgl_mem|$ours_bytes|$pgl_bytes|$ours_cpu|$pgl_cpu|$ours_pg|$pgl_pg")
done

# What the servers' connections to PostgreSQL are, as PostgreSQL sees them.
TLS_SEEN=$(psql -d "$BENCH_DB" -Atc "SELECT string_agg(DISTINCT a.application_name || ': ' ||
  CASE WHEN s.ssl THEN 'TLS' ELSE 'plain' END, ', ') FROM pg_stat_ssl s JOIN pg_stat_activity a
  USING (pid) WHERE a.application_name IN ('$OUR_APP', '$PGL_APP')")

# --- PostgreSQL alone: operation 2 as one hand-written statement -------------------------
log "pgbench: operation 2 as one SQL statement (prepared, as the server sends it) for ${DURATION}s"
(cd "$WORK" && pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -D first=50 -l \
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
echo "Machine: $(nproc) CPUs ($CPU), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, load average when the run began: $LOAD_BEFORE."
echo "Connections to PostgreSQL (pgbench's too: PGSSLMODE=$PGSSLMODE): ${TLS_SEEN:-none open at the end}."
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
echo "| 2. one hand-written SQL statement, prepared | pgbench | $PGB_TPS | $PGB_P50 | $PGB_P99 | 0 | 1 | | | | |"
echo
echo "Ratios: requests per second, ours / PostGraphile's; CPU per request (server and its"
echo "PostgreSQL backends), PostGraphile's / ours (above 1: ours is cheaper):"
for row in "${ROWS[@]}"; do
  IFS='|' read -r op name ours pgl _ _ _ _ _ ours_cpu pgl_cpu ours_pg pgl_pg <<<"$row"
  python3 - "$(field "$ours" rps)" "$(field "$pgl" rps)" "$op" "$name" "$ours_cpu" "$pgl_cpu" "$ours_pg" "$pgl_pg" <<'PY'
import sys
a, b, op, name = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
try:
    ours = float(sys.argv[5]) + float(sys.argv[7])
    theirs = float(sys.argv[6]) + float(sys.argv[8])
    cpu = f", CPU {theirs / ours:.2f}x" if ours else ""
except ValueError:
    cpu = ""
print(f"- operation {op} ({name}): {a / b:.2f}x{cpu}" if b else "-")
PY
done
