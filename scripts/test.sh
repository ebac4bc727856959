#!/usr/bin/env bash
# Runs every test layer, in the order that fails fastest, and ends with one summary line:
#   formatting and lints (native and wasm) -> native unit tests (domain, portal logic) and
#   backend tests over HTTP against temporary SQLite files -> the same backend tests against
#   PostgreSQL (a throwaway cluster, a database per test) -> the conformance command against
#   real stores (reference, Kinto on PostgreSQL, PocketBase, json-server) -> component tests in headless
#   Chromium (wasm-bindgen-test) -> end-to-end tests in headless Chromium (Playwright)
#   against the release build served by the reference backend -> the same build mapped onto
#   Kinto and PocketBase (scripts/e2e-stores.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$RAPPORT_ROOT"
started=$SECONDS
log=$(mktemp -d)
passed=0
failed=0

# Adds up "N passed; M failed" (cargo, wasm-bindgen-test) or "N passed"/"N failed" (Playwright).
count() {
  local p f
  read -r p f < <(awk '{
      while (match($0, /[0-9]+ (passed|failed)/)) {
        split(substr($0, RSTART, RLENGTH), word, " ")
        if (word[2] == "passed") p += word[1]; else f += word[1]
        $0 = substr($0, RSTART + RLENGTH)
      }
    } END { print p + 0, f + 0 }' "$1")
  passed=$((passed + p))
  failed=$((failed + f))
}

step() {
  local name=$1
  shift
  say "$name"
  if ! "$@" 2>&1 | tee "$log/$name.log"; then
    count "$log/$name.log"
    echo "test: $name FAILED"
    echo "summary: $passed passed, $((failed > 0 ? failed : 1)) failed"
    exit 1
  fi
}

step fmt cargo fmt --all -- --check
step clippy cargo clippy --workspace --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy -p rapport --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
step unit-and-backend cargo test --workspace --locked
count "$log/unit-and-backend.log"
step backend-postgres scripts/with-postgres.sh cargo test -p rapport-server --locked
count "$log/backend-postgres.log"
# The mapping engine against real stores: the reference server, Kinto on PostgreSQL and
# PocketBase must pass, json-server must fail exactly the concurrency checks; one count per store.
step conformance scripts/conformance.sh
count "$log/conformance.log"
step browser-components cargo test -p rapport --target wasm32-unknown-unknown --locked
count "$log/browser-components.log"
step build-portal ./scripts/build-portal.sh
step build-server cargo build --release -p rapport-server --locked
step end-to-end npm --prefix tests/e2e test --silent
count "$log/end-to-end.log"
# The profile, preferences and design pages (and failures) against real mapped stores, the same
# dist/ configured for each; one store after another (each is a few processes on two cores).
for store in kinto pocketbase; do
  step "end-to-end-$store" scripts/e2e-stores.sh "$store" -- npm --prefix tests/e2e run test:mapped --silent
  count "$log/end-to-end-$store.log"
done

echo "test: all layers passed in $((SECONDS - started)) s"
echo "summary: $passed passed, $failed failed"
[ "$failed" = 0 ]
