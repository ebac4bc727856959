#!/usr/bin/env bash
# Trunk's post_build hook (see Trunk.toml): runs after Trunk has written a build into
# $TRUNK_STAGING_DIR and before that folder becomes dist/. Each step is its own script under
# scripts/postbuild/, run in this order when present:
#   split-wasm.sh     route splitting: wasm-split, wasm-bindgen and wasm-opt on each part,
#                     hashed chunk names, index.html's integrity attributes recomputed
#   embed-loader.sh   the custom element's loader (rapport.js), naming the final hashed files
#   precompress.sh    .br and .gz beside every text and wasm file, sent as they are by the server
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for step in split-wasm embed-loader precompress; do
  if [ -f "$here/postbuild/$step.sh" ]; then
    bash "$here/postbuild/$step.sh"
  fi
done
