#!/usr/bin/env bash
# Runs rapport-conform against real stores, each started on 127.0.0.1 in a temporary folder,
# seeded with two customers, and stopped afterwards:
#   rapport     the reference server (its own contract, written out as a mapping)
#   rapport-host-token  the same, its customers' tokens handed over as by a host page
#   kinto       Kinto on a throwaway PostgreSQL cluster
#   pocketbase  PocketBase with an owner-only rule and the If-Match hook
#   json-server json-server + json-server-auth: a store that silently overwrites, the negative
#               control, which must fail exactly the concurrency checks
# Prints each store's check lines and ends with "conformance: N passed, M failed", one count per
# store that behaved as expected. Exits 0 only when all of them did.
# Starting and stopping the stores: scripts/stores.sh (shared with scripts/e2e-stores.sh).
#
#   scripts/conformance.sh [rapport] [kinto] [pocketbase] [json-server]   (all by default)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$RAPPORT_ROOT"

stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(rapport rapport-host-token kinto pocketbase json-server)
# Wherever cargo builds (CARGO_TARGET_DIR, a config's target-dir, or ./target).
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
ORIGIN=http://127.0.0.1:8080       # the portal's origin the stores must allow
A_EMAIL=conform-ann@conform.example A_PASSWORD=ann-Secret-1
B_EMAIL=conform-bo@conform.example B_PASSWORD=bo-Secret-2
CONCURRENCY="racing-first-writes stale-write-refused write-without-version"
STORES_WHO=conformance
. "$RAPPORT_ROOT/scripts/stores.sh"
stores_init

say "building rapport-server and rapport-conform"
cargo build -q -p rapport-server -p rapport-conform --locked
conform=$target/debug/rapport-conform
server=$target/debug/rapport-server

as_expected=0
not_as_expected=0
for store in "${stores[@]}"; do
  A_USER=$A_EMAIL B_USER=$B_EMAIL A_SECRET=$A_PASSWORD B_SECRET=$B_PASSWORD
  case $store in
    rapport) start_rapport ;;
    rapport-host-token) start_rapport_host_token ;;
    kinto) start_kinto ;;
    pocketbase) start_pocketbase ;;
    json-server) start_json_server ;;
    *) echo "conformance: unknown store $store" >&2; exit 2 ;;
  esac
  echo "== $store ($VERSION) =="
  set +e
  # The command's own summary is reworded so that test.sh counts stores, not checks.
  "$conform" --config "examples/backends/$store/config.json" --base-url "$BASE" \
    --a "$A_USER:$A_SECRET" --b "$B_USER:$B_SECRET" --origin "$ORIGIN" >"$work/$store.out" 2>&1
  status=$?
  set -e
  sed -E 's/^conform: ([0-9]+) passed, ([0-9]+) failed$/conform: \1 checks ok, \2 not ok/' "$work/$store.out"
  failing=$(awk '/^FAIL / { sub(":", "", $2); print $2 }' "$work/$store.out" | sort | tr '\n' ' ')
  if [ "$store" = json-server ]; then
    expected=$(printf '%s\n' $CONCURRENCY | sort | tr '\n' ' ')
    if [ "$failing" = "$expected" ]; then ok=1; else ok=0; fi
  else
    if [ "$status" = 0 ]; then ok=1; else ok=0; fi
  fi
  if [ "$ok" = 1 ]; then
    as_expected=$((as_expected + 1))
    echo "conformance-$store: as expected"
  else
    not_as_expected=$((not_as_expected + 1))
    echo "conformance-$store: NOT as expected (failing: ${failing:-none}; exit $status)"
  fi
  stop_store
done
echo "conformance: $as_expected passed, $not_as_expected failed"
[ "$not_as_expected" = 0 ]
