#!/usr/bin/env bash
# Runs a command (the mapped end-to-end tests) against a real store: starts the store on
# 127.0.0.1 in a temporary folder (scripts/stores.sh, as scripts/conformance.sh does), seeds its
# two customers, writes a copy of dist/ whose config.json is the portal's own with the store's
# mapping (examples/backends/<store>/config.json, base_url pointing at the store), runs the
# command with the environment below, and stops the store.
#
#   scripts/e2e-stores.sh kinto|pocketbase -- COMMAND...
#
#   RAPPORT_STORE                the store's name
#   RAPPORT_STORE_URL            the mapping's base_url
#   RAPPORT_STORE_A, RAPPORT_STORE_A_PASSWORD, RAPPORT_STORE_B, RAPPORT_STORE_B_PASSWORD
#                                the seeded customers (Kinto: account names; PocketBase: e-mails)
#   RAPPORT_STORE_ADMIN, RAPPORT_STORE_ADMIN_PASSWORD   PocketBase's superuser
#   RAPPORT_STORE_SERVE          a script starting the store's server again (its pid in .pid)
#   RAPPORT_STORE_HEALTH         a URL that answers once the store is up
#   RAPPORT_E2E_MAPPED_PORT      the port the portal must be served on (the store allows its origin)
#   RAPPORT_E2E_MAPPED_DIST      the dist/ copy configured for the store
# The release build in dist/ must exist (scripts/build-portal.sh); it is not rebuilt.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$RAPPORT_ROOT"

store=${1:?usage: scripts/e2e-stores.sh kinto|pocketbase -- COMMAND...}
shift
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "e2e-stores: no command given" >&2; exit 2; }
[ -f dist/config.json ] || { echo "e2e-stores: no dist/ (run scripts/build-portal.sh)" >&2; exit 2; }

STORES_WHO=e2e-stores
. "$RAPPORT_ROOT/scripts/stores.sh"
stores_init

RAPPORT_E2E_MAPPED_PORT=$(free_port)
ORIGIN=http://127.0.0.1:$RAPPORT_E2E_MAPPED_PORT
A_EMAIL=e2e-ann@e2e.example A_PASSWORD=ann-Secret-1
B_EMAIL=e2e-bo@e2e.example B_PASSWORD=bo-Secret-2
A_USER=$A_EMAIL B_USER=$B_EMAIL
case $store in
  kinto) start_kinto ;;
  pocketbase) start_pocketbase ;;
  *) echo "e2e-stores: unknown store $store (kinto or pocketbase)" >&2; exit 2 ;;
esac
say "$store ($VERSION) at $BASE for the portal at $ORIGIN"

# The portal's own configuration, its backend replaced by the store's mapping.
mapped_dist=$work/dist
cp -r dist "$mapped_dist"
python3 - "$mapped_dist/config.json" "examples/backends/$store/config.json" "$BASE" <<'PY'
import json, sys
path, example, base = sys.argv[1:]
config = json.load(open(path))
config["backend"] = json.load(open(example))["backend"]
config["backend"]["base_url"] = base
# A demo sign-in hint names the reference server's demo customer, who is not in this store.
config.pop("demo_account", None)
json.dump(config, open(path, "w"), indent=2)
PY

export RAPPORT_STORE=$store RAPPORT_STORE_URL=$BASE
export RAPPORT_STORE_A=$A_USER RAPPORT_STORE_A_PASSWORD=$A_PASSWORD
export RAPPORT_STORE_B=$B_USER RAPPORT_STORE_B_PASSWORD=$B_PASSWORD
export RAPPORT_STORE_ADMIN=$PB_ADMIN RAPPORT_STORE_ADMIN_PASSWORD=$PB_ADMIN_PASSWORD
export RAPPORT_STORE_SERVE=$STORE_SERVE RAPPORT_STORE_HEALTH=$STORE_HEALTH
export RAPPORT_E2E_MAPPED_PORT RAPPORT_E2E_MAPPED_DIST=$mapped_dist
set +e
"$@"
status=$?
set -e
exit "$status"
