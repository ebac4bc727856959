#!/usr/bin/env bash
# Builds the portal's release files into dist/ (run, test and bench all use this one build).
#
# With the machine's nightly toolchain, std itself is rebuilt for the portal (build-std) with
# `-Cpanic=immediate-abort`: panics trap without formatting a message, which takes the panic
# machinery and its strings out of every module (measured: main module -7% brotli). Debug
# builds and the component tests keep stable Rust and their panic messages. Without nightly
# (or with RAPPORT_STABLE=1) the release is built with stable, as before.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$RAPPORT_ROOT"
if [ "${RAPPORT_STABLE:-}" != 1 ] && rustup toolchain list | grep -q '^nightly'; then
  if ! rustup component list --installed --toolchain nightly | grep -q '^rust-src'; then
    say "adding rust-src to nightly (std's sources, for build-std)"
    rustup component add rust-src --toolchain nightly
  fi
  # std's own dependencies come from the Rust package registry, once.
  cargo +nightly fetch --manifest-path \
    "$(rustc +nightly --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml" >/dev/null 2>&1
  export RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  # Replaces .cargo/config.toml's flags for this target, so they are repeated here.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C link-arg=--emit-relocs -Zunstable-options -Cpanic=immediate-abort"
  say "building the portal (release, nightly build-std)"
else
  say "building the portal (release, stable)"
fi
trunk build --release "$@"
