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
work=$(mktemp -d)
pids=()
pg_dir=

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then
    su postgres -s /bin/sh -c "pg_ctl -D '$pg_dir/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
[ -z "${CONFORMANCE_KEEP:-}" ] || trap - EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 60 s for an HTTP answer (any status) from $1.
wait_for() {
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "conformance: nothing answered at $1" >&2
  return 1
}

say "building rapport-server and rapport-conform"
cargo build -q -p rapport-server -p rapport-conform --locked
conform=$target/debug/rapport-conform
server=$target/debug/rapport-server

start_rapport() {
  local dir port
  dir=$(mktemp -d -p "$work")
  port=$(free_port)
  local common=(--db "$dir/rapport.sqlite3" --ledger-key "$dir/ledger.key")
  RAPPORT_PASSWORD=$A_PASSWORD "$server" add-account "${common[@]}" --email "$A_EMAIL" >/dev/null
  RAPPORT_PASSWORD=$B_PASSWORD "$server" add-account "${common[@]}" --email "$B_EMAIL" >/dev/null
  "$server" seed-history "${common[@]}" --email "$A_EMAIL" --events 40 --seed 7 >/dev/null
  "$server" "${common[@]}" --addr "127.0.0.1:$port" --dist "$dir/no-dist" \
    --config public/config.json --allow-origin "$ORIGIN" >"$dir/server.log" 2>&1 &
  pids+=($!)
  BASE=http://127.0.0.1:$port/api
  wait_for "$BASE/me/profile"
  VERSION="reference server"
}

# The reference server again, its customers' tokens handed over as a host page would.
start_rapport_host_token() {
  start_rapport
  token() {
    curl -sf -X POST -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" \
      "$BASE/session" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
  }
  # For a host hand-off, conform takes SUBJECT:TOKEN in place of EMAIL:PASSWORD.
  A_USER=$A_EMAIL A_SECRET=$(token "$A_EMAIL" "$A_PASSWORD")
  B_USER=$B_EMAIL B_SECRET=$(token "$B_EMAIL" "$B_PASSWORD")
  VERSION="reference server, tokens handed over by a host page"
}

start_postgres() {
  # Its own temporary folder: the postgres user cannot enter root's.
  pg_dir=$(mktemp -d)
  chown postgres "$pg_dir"
  PG_PORT=$(free_port)
  # initdb refuses to run as root; the cluster belongs to Debian's postgres user.
  su postgres -s /bin/sh -c "initdb -D '$pg_dir/data' -U postgres --auth=trust" >"$pg_dir/initdb.log" 2>&1
  # Kinto checks If-Match and writes in one transaction; only at repeatable read does a second
  # writer of the same record fail (503, "retry") instead of silently overwriting the first.
  echo "default_transaction_isolation = 'repeatable read'" >>"$pg_dir/data/postgresql.conf"
  su postgres -s /bin/sh -c "pg_ctl -D '$pg_dir/data' -l '$pg_dir/log' -w \
    -o \"-k '$pg_dir' -p $PG_PORT -h 127.0.0.1 \" start" >/dev/null
}

start_kinto() {
  local dir=$work/kinto port
  mkdir -p "$dir"
  start_postgres
  port=$(free_port)
  local db=postgresql://postgres@127.0.0.1:$PG_PORT/postgres
  cat >"$dir/kinto.ini" <<INI
[app:main]
use = egg:kinto
kinto.includes = kinto.plugins.default_bucket kinto.plugins.accounts
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = $db
kinto.permission_backend = kinto.core.permission.postgresql
kinto.permission_url = $db
kinto.cache_backend = kinto.core.cache.memory
kinto.userid_hmac_secret = $(python3 -c 'import secrets; print(secrets.token_hex(32))')
multiauth.policies = account
multiauth.policy.account.use = kinto.plugins.accounts.AccountsPolicy
kinto.account_create_principals = system.Everyone
kinto.bucket_create_principals = system.Authenticated
kinto.cors_origins = $ORIGIN

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = $port
INI
  "$BACKENDS_VENV/bin/kinto" migrate --ini "$dir/kinto.ini" >"$dir/migrate.log" 2>&1
  "$BACKENDS_VENV/bin/kinto" start --ini "$dir/kinto.ini" --port "$port" >"$dir/kinto.log" 2>&1 &
  pids+=($!)
  BASE=http://127.0.0.1:$port/v1
  wait_for "$BASE/"
  python3 scripts/conformance/seed.py kinto "$BASE" "${A_EMAIL%%@*}" "$A_PASSWORD" "${B_EMAIL%%@*}" "$B_PASSWORD"
  A_USER=${A_EMAIL%%@*} B_USER=${B_EMAIL%%@*}
  VERSION="Kinto $("$BACKENDS_VENV/bin/pip" show kinto 2>/dev/null | awk '/^Version/ {print $2}') on PostgreSQL $(postgres --version | awk '{print $3}')"
}

start_pocketbase() {
  local dir=$work/pocketbase port pb=$BACKENDS_VENV/bin/pocketbase
  local here=$RAPPORT_ROOT/examples/backends/pocketbase
  mkdir -p "$dir"
  port=$(free_port)
  "$pb" migrate up --dir "$dir/pb_data" --migrationsDir "$here/pb_migrations" >"$dir/migrate.log" 2>&1
  "$pb" superuser upsert admin@conform.example admin-Secret-0 --dir "$dir/pb_data" >/dev/null
  "$pb" serve --http "127.0.0.1:$port" --dir "$dir/pb_data" --origins "$ORIGIN" \
    --migrationsDir "$here/pb_migrations" --hooksDir "$here/pb_hooks" >"$dir/pocketbase.log" 2>&1 &
  pids+=($!)
  BASE=http://127.0.0.1:$port
  wait_for "$BASE/api/health"
  python3 scripts/conformance/seed.py pocketbase "$BASE" "$A_EMAIL" "$A_PASSWORD" "$B_EMAIL" "$B_PASSWORD" \
    admin@conform.example admin-Secret-0
  VERSION="PocketBase $("$pb" --version | awk '{print $3}')"
}

start_json_server() {
  local dir=$work/json-server port
  mkdir -p "$dir"
  port=$(free_port)
  echo '{ "users": [], "profiles": [], "preferences": [] }' >"$dir/db.json"
  (cd "$dir" && exec node "$BACKENDS_NPM/node_modules/json-server-auth/dist/bin.js" db.json \
    --host 127.0.0.1 --port "$port" --quiet >"$dir/json-server.log" 2>&1) &
  pids+=($!)
  BASE=http://127.0.0.1:$port
  wait_for "$BASE/profiles"
  python3 scripts/conformance/seed.py json-server "$BASE" "$A_EMAIL" "$A_PASSWORD" "$B_EMAIL" "$B_PASSWORD"
  VERSION="json-server $(node -p "require('$BACKENDS_NPM/node_modules/json-server/package.json').version") with json-server-auth"
}

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
  cleanup_store_pids=("${pids[@]}")
  for pid in "${cleanup_store_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
  if [ -n "$pg_dir" ]; then
    su postgres -s /bin/sh -c "pg_ctl -D '$pg_dir/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=
  fi
done
echo "conformance: $as_expected passed, $not_as_expected failed"
[ "$not_as_expected" = 0 ]
