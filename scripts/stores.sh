# Starting and stopping the example stores (docs/backends.md), each on 127.0.0.1 in a temporary
# folder, seeded with two customers. Sourced (after setup.sh) by scripts/conformance.sh and
# scripts/e2e-stores.sh; nothing here runs by itself.
#
# The caller sets, before calling start_<store>:
#   ORIGIN                        the portal's origin the store must allow (CORS)
#   A_EMAIL A_PASSWORD B_EMAIL B_PASSWORD   the two customers seeded
#   server                        the rapport-server binary (start_rapport only)
#   STORES_WHO                    the name its messages start with
# and calls stores_init once (a work folder, and stores_cleanup on exit unless CONFORMANCE_KEEP).
# start_<store> sets BASE (the store's URL, as the mapping's base_url), VERSION (what runs),
# A_USER/B_USER (and A_SECRET/B_SECRET for a host hand-off), and, for stores that can be stopped
# and started again, STORE_SERVE (a script starting its server; it records its pid in
# $STORE_SERVE.pid) and STORE_HEALTH (a URL answering once it is up).

work=
pids=()
pg_dir=
serve_scripts=()

stores_init() {
  work=$(mktemp -d)
  trap stores_cleanup EXIT
  [ -z "${CONFORMANCE_KEEP:-}" ] || trap - EXIT
}

# Stops the current store (and its PostgreSQL), leaving the work folder.
stop_store() {
  local pid script
  for script in "${serve_scripts[@]}"; do
    # A store stopped and started again by a test is no longer one of ours by $!.
    if [ -f "$script.pid" ]; then pids+=("$(cat "$script.pid")"); fi
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  serve_scripts=()
  if [ -n "$pg_dir" ]; then
    su postgres -s /bin/sh -c "pg_ctl -D '$pg_dir/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=
  fi
}

stores_cleanup() {
  stop_store
  rm -rf "$work"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 60 s for an HTTP answer (any status) from $1.
wait_for() {
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "${STORES_WHO:-stores}: nothing answered at $1" >&2
  return 1
}

# Writes $1, a script that runs the rest of the arguments in folder $2 with its output in $3,
# recording its own pid in $1.pid; then starts it in the background.
serve() {
  local script=$1 dir=$2 log=$3
  shift 3
  {
    echo '#!/usr/bin/env bash'
    printf 'cd %q && echo $$ >%q && exec' "$dir" "$script.pid"
    printf ' %q' "$@"
    printf ' >>%q 2>&1\n' "$log"
  } >"$script"
  chmod +x "$script"
  "$script" &
  pids+=($!)
  serve_scripts+=("$script")
  STORE_SERVE=$script
}

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
    -o \"-k '$pg_dir' -p $PG_PORT -h 127.0.0.1\" start" >/dev/null
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
  serve "$dir/serve.sh" "$dir" "$dir/kinto.log" \
    "$BACKENDS_VENV/bin/kinto" start --ini "$dir/kinto.ini" --port "$port"
  BASE=http://127.0.0.1:$port/v1
  STORE_HEALTH=$BASE/
  wait_for "$BASE/"
  python3 scripts/conformance/seed.py kinto "$BASE" "${A_EMAIL%%@*}" "$A_PASSWORD" "${B_EMAIL%%@*}" "$B_PASSWORD"
  A_USER=${A_EMAIL%%@*} B_USER=${B_EMAIL%%@*}
  VERSION="Kinto $("$BACKENDS_VENV/bin/pip" show kinto 2>/dev/null | awk '/^Version/ {print $2}') on PostgreSQL $(postgres --version | awk '{print $3}')"
}

# PocketBase's superuser, as its administrator (seed.py, and the end-to-end tests' new accounts).
PB_ADMIN=admin@conform.example PB_ADMIN_PASSWORD=admin-Secret-0

start_pocketbase() {
  local dir=$work/pocketbase port pb=$BACKENDS_VENV/bin/pocketbase
  local here=$RAPPORT_ROOT/examples/backends/pocketbase
  mkdir -p "$dir"
  port=$(free_port)
  "$pb" migrate up --dir "$dir/pb_data" --migrationsDir "$here/pb_migrations" >"$dir/migrate.log" 2>&1
  "$pb" superuser upsert "$PB_ADMIN" "$PB_ADMIN_PASSWORD" --dir "$dir/pb_data" >/dev/null
  serve "$dir/serve.sh" "$dir" "$dir/pocketbase.log" \
    "$pb" serve --http "127.0.0.1:$port" --dir "$dir/pb_data" --origins "$ORIGIN" \
    --migrationsDir "$here/pb_migrations" --hooksDir "$here/pb_hooks"
  BASE=http://127.0.0.1:$port
  STORE_HEALTH=$BASE/api/health
  wait_for "$BASE/api/health"
  python3 scripts/conformance/seed.py pocketbase "$BASE" "$A_EMAIL" "$A_PASSWORD" "$B_EMAIL" "$B_PASSWORD" \
    "$PB_ADMIN" "$PB_ADMIN_PASSWORD"
  VERSION="PocketBase $("$pb" --version | awk '{print $3}')"
}

start_json_server() {
  local dir=$work/json-server port
  mkdir -p "$dir"
  port=$(free_port)
  echo '{ "users": [], "profiles": [], "preferences": [] }' >"$dir/db.json"
  serve "$dir/serve.sh" "$dir" "$dir/json-server.log" \
    node "$BACKENDS_NPM/node_modules/json-server-auth/dist/bin.js" db.json \
    --host 127.0.0.1 --port "$port" --quiet
  BASE=http://127.0.0.1:$port
  STORE_HEALTH=$BASE/profiles
  wait_for "$BASE/profiles"
  python3 scripts/conformance/seed.py json-server "$BASE" "$A_EMAIL" "$A_PASSWORD" "$B_EMAIL" "$B_PASSWORD"
  VERSION="json-server $(node -p "require('$BACKENDS_NPM/node_modules/json-server/package.json').version") with json-server-auth"
}
