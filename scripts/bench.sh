#!/usr/bin/env bash
# Speed and size, measured, never asserted by timed tests. Builds release, then prints one line
# per figure: `bench: <name> = <value> <unit> (budget <budget> <unit>) ok|OVER`.
#   first-screen-*, sign-in-screen-*, route-*, all-files-*, static-warm-*: bytes each screen
#     loads (brotli -q 11), bytes on the wire, a static file's latency on a kept-alive
#     connection (tests/e2e/bench-size.mjs).
#   profile-*: median times in headless Chromium against the reference backend on loopback.
#   price-update-50-options: a choice to the new total painted, on a generated 50-option
#              catalogue (tests/e2e/bench-design.mjs).
#   history-*: the timeline over a 100,000-event history in headless Chromium (first page,
#              filter change, rows in the DOM at event 5,000, JS heap), then the backend's own
#              history figures (`history_bench` example: page p95, facts median).
#   signin-flood-*, others-profile-p99-during-flood, ledger-after-1000-decision-flood: the
#              backend under abuse (`abuse_bench` example).
#   load-*, crash-loop-*, history-*-postgres: wrk against the release server and the crash
#              loop, on SQLite and PostgreSQL (scripts/bench-load.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$RAPPORT_ROOT"
say "building release"
./scripts/build-portal.sh >/dev/null
cargo build --release -p rapport-server --locked 2>/dev/null

over=0
port=${RAPPORT_BENCH_PORT:-18766}
db=$(mktemp -u /tmp/rapport-bench-XXXXXX.sqlite3)
# The demo customer with a 100,000-event history, as the history budgets are stated for.
./target/release/rapport-server seed-history --db "$db" --email demo@rapport.example \
  --events 100000 --seed 42 >/dev/null 2>&1
# The browser runs sign the demo customer in once per run: wider quotas than a person needs.
./target/release/rapport-server --addr "127.0.0.1:$port" --db "$db" --dist dist --ledger-key "$db.key" \
  --sign-in-per-account 10000 --sign-in-per-client 10000 --writes-per-customer 10000 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$db"*' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/config.json" >/dev/null 2>&1 && break; sleep 0.1; done
out=$(node tests/e2e/bench-size.mjs "http://127.0.0.1:$port" dist)
echo "$out"
grep -q OVER <<<"$out" && over=1
# 15 runs: the profile figure moves by ±30 ms from run to run on two shared cores.
out=$(node tests/e2e/bench.mjs "http://127.0.0.1:$port" "${RAPPORT_BENCH_RUNS:-15}")
echo "$out"
grep -q OVER <<<"$out" && over=1
out=$(node tests/e2e/bench-design.mjs "http://127.0.0.1:$port" "${RAPPORT_BENCH_RUNS:-7}")
echo "$out"
grep -q OVER <<<"$out" && over=1
out=$(node tests/e2e/bench-history.mjs "http://127.0.0.1:$port" "${RAPPORT_BENCH_RUNS:-7}")
echo "$out"
grep -q OVER <<<"$out" && over=1
# The backend's side of the same history (its own seeded database and server on loopback).
cargo run --release --locked -p rapport-server --example history_bench 2>/dev/null || over=1
# The backend under abuse (`abuse_bench` example, default limits): a sign-in flood from 128
# loopback addresses (answers per second, a floor; share refused; p99 to an answer), other
# customers' profile GET p99 during it, and the ledger after one customer's 1,000 decisions.
cargo run --release --locked -p rapport-server --example abuse_bench 2>/dev/null || over=1
# Load (wrk) and crash-loop figures on SQLite and on a throwaway PostgreSQL cluster, and the
# 100,000-event history figures on PostgreSQL (scripts/bench-load.sh).
cargo build --release --locked -p rapport-server --examples 2>/dev/null
scripts/with-postgres.sh scripts/bench-load.sh || over=1
exit $over
