#!/usr/bin/env bash
# Load figures for the reference backend on both engines, with Debian's wrk against the
# release server on loopback; one line per figure:
#   bench: <name> = <value> <unit> (budget <budget> <unit>) ok|OVER
#   load-profile-get-*: GET /api/me/profile by random customers, 64 connections;
#   load-mixed-*: 80% reads, 20% versioned profile saves over many customers (errors: any
#     socket error or non-2xx answer, a 409 included);
#   load-history-page-*: a 50-event page of a 5,000-event history, measured by a second wrk
#     while the mixed load runs.
# Then the crash loop (RAPPORT_CRASH_ITERATIONS kills, 30 by default) on each engine.
# Run by `make bench` (scripts/bench.sh); alone: scripts/bench-load.sh (needs a release build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=${CARGO_TARGET_DIR:-target}
bin=${RAPPORT_BENCH_BIN_DIR:-$target/release}
server_bin="$bin/rapport-server"
seed_bin="$bin/examples/load_seed"
customers=${RAPPORT_LOAD_CUSTOMERS:-2000}
seconds=${RAPPORT_LOAD_SECONDS:-10}
threads=2
export RAPPORT_LOAD_THREADS=$threads
over=0

# bench NAME VALUE UNIT BUDGET [floor]: a budget is a ceiling unless "floor" is given.
bench() {
  local verdict
  if [ "${5:-}" = floor ]; then
    verdict=$(awk -v v="$2" -v b="$4" 'BEGIN { print (v >= b) ? "ok" : "OVER" }')
  else
    verdict=$(awk -v v="$2" -v b="$4" 'BEGIN { print (v <= b) ? "ok" : "OVER" }')
  fi
  [ "$verdict" = OVER ] && over=1
  echo "bench: $1 = $2 $3 (budget $4 $3) $verdict"
}

# Reads wrk --latency output: requests/s, p99 in ms, and errors (socket errors + non-2xx).
rate() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$1"; }
p99_ms() {
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
                     else if (v ~ /ms$/) { sub(/ms$/, "", v) }
                     else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
                     printf "%.1f", v }' "$1"
}
errors() {
  awk '/Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i }
       /Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$1"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run_engine NAME DB: seeds DB, serves it with the release server, measures.
run_engine() {
  local engine=$1 db=$2 dir port base server
  dir=$(mktemp -d)
  "$seed_bin" "$db" "$customers" "$dir" >&2
  port=$(free_port)
  base="http://127.0.0.1:$port"
  # Default limits, as deployed; only the write quota is wider than a person needs, since
  # wrk's customers save every few seconds for the whole run.
  "$server_bin" --db "$db" --addr "127.0.0.1:$port" --dist /nonexistent --config public/config.json \
    --ledger-key "$dir/ledger.key" --writes-per-customer 100000 --db-readers "${RAPPORT_LOAD_DB_READERS:-8}" \
    >"$dir/server.log" 2>&1 &
  server=$!
  # `server` is local to this function: at the script's exit it may be gone.
  trap 'kill "${server:-}" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    if curl -s -o /dev/null "$base/api/me/profile"; then break; fi
    sleep 0.1
  done

  RAPPORT_LOAD_TOKENS="$dir/tokens" wrk -t$threads -c64 -d2s -s scripts/load/profile.lua "$base" >/dev/null
  RAPPORT_LOAD_TOKENS="$dir/tokens" wrk -t$threads -c64 -d"${seconds}s" --latency \
    -s scripts/load/profile.lua "$base" >"$dir/profile.txt"
  bench "load-profile-get-$engine" "$(rate "$dir/profile.txt")" req/s 5000 floor
  bench "load-profile-get-p99-$engine" "$(p99_ms "$dir/profile.txt")" ms 20
  bench "load-profile-get-errors-$engine" "$(errors "$dir/profile.txt")" errors 0

  RAPPORT_LOAD_TOKENS="$dir/history-tokens" wrk -t1 -c4 -d"${seconds}s" --latency \
    -s scripts/load/history.lua "$base" >"$dir/history.txt" &
  local history=$!
  RAPPORT_LOAD_TOKENS="$dir/tokens" wrk -t$threads -c64 -d"${seconds}s" --latency \
    -s scripts/load/mixed.lua "$base" >"$dir/mixed.txt"
  wait $history
  bench "load-mixed-$engine" "$(rate "$dir/mixed.txt")" req/s 1500 floor
  local mixed_errors
  mixed_errors=$(errors "$dir/mixed.txt")
  bench "load-mixed-errors-$engine" "$mixed_errors" errors 0
  if [ "$mixed_errors" != 0 ]; then
    # Which answers they were (tallied by mixed.lua), and what the server warned about.
    grep '^statuses:' "$dir/mixed.txt" | sed 's/^/info: mixed non-2xx /' >&2 || true
    grep -E 'WARN|ERROR' "$dir/server.log" | tail -n 20 | sed 's/^/info: server: /' >&2 || true
  fi
  bench "load-history-page-p99-$engine" "$(p99_ms "$dir/history.txt")" ms 50
  bench "load-history-page-errors-$engine" "$(errors "$dir/history.txt")" errors 0
  echo "info: $engine mixed p99 $(p99_ms "$dir/mixed.txt") ms; history pages $(rate "$dir/history.txt") req/s" >&2

  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  rm -rf "$dir"
}

sqlite_dir=$(mktemp -d)
run_engine sqlite "$sqlite_dir/load.sqlite3"
rm -rf "$sqlite_dir"
if [ -n "${RAPPORT_TEST_POSTGRES_URL:-}" ]; then
  psql -q "$RAPPORT_TEST_POSTGRES_URL" -c "CREATE DATABASE rapport_load" -c "CREATE DATABASE rapport_history"
  run_engine postgres "${RAPPORT_TEST_POSTGRES_URL%/*}/rapport_load"
  # The 100,000-event history figures on PostgreSQL (SQLite's come from bench.sh).
  out=$(RAPPORT_BENCH_DB="${RAPPORT_TEST_POSTGRES_URL%/*}/rapport_history" \
    "$bin/examples/history_bench" 2>/dev/null) || over=1
  echo "$out"
else
  echo "info: no PostgreSQL (run under scripts/with-postgres.sh for its figures)" >&2
fi

# The crash loop, more kills than CI's: its bench: line per engine.
export RAPPORT_CRASH_ITERATIONS=${RAPPORT_CRASH_ITERATIONS:-30}
out=$(cargo test --locked -p rapport-server --test crash -- --nocapture 2>/dev/null | grep '^bench:' || true)
if [ -n "${RAPPORT_TEST_POSTGRES_URL:-}" ]; then
  : # the line above ran on PostgreSQL (the tests follow RAPPORT_TEST_POSTGRES_URL)
  out_sqlite=$(env -u RAPPORT_TEST_POSTGRES_URL cargo test --locked -p rapport-server --test crash -- --nocapture 2>/dev/null | grep '^bench:' || true)
  out=$(printf '%s\n%s' "$out_sqlite" "$out")
fi
echo "$out"
grep -q OVER <<<"$out" && over=1
[ -n "$out" ] || { echo "bench: crash loop did not report" >&2; over=1; }
exit $over
