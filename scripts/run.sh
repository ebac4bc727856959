#!/usr/bin/env bash
# Builds the portal in release mode and serves it with the reference backend and demo data
# on http://127.0.0.1:8080 (override with RAPPORT_ADDR). Ctrl-C stops it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$RAPPORT_ROOT"
./scripts/build-portal.sh
say "building the reference backend"
cargo build --release -p rapport-server
say "sign in as demo@rapport.example with the password demo"
exec ./target/release/rapport-server --demo-data "$@"
