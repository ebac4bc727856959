#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on 127.0.0.1, named to it by
# RAPPORT_TEST_POSTGRES_URL (a superuser URL: each test creates and drops its own database),
# and stops and deletes the cluster afterwards, whatever the command's outcome.
#   scripts/with-postgres.sh cargo test -p rapport-server
# initdb refuses to run as root, so as root the cluster runs as Debian's `postgres` user.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "with-postgres: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
dir=$(mktemp -d /tmp/rapport-pg.XXXXXX)
# A free port: let the kernel pick one, then hand it to the cluster.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"
stop() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# Durability stays on (fsync, synchronous_commit): the crash test relies on it. Only the
# connection limit is raised, for parallel tests that each hold a small pool.
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -h 127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
export RAPPORT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
