#!/usr/bin/env bash
# Precompression, the last post-build step (scripts/post-build.sh): a .br (brotli -q 11) and a
# .gz (gzip -9) beside every text and wasm file of the build, made once here so the server
# sends them as they are (tower-http ServeDir's precompressed_br/gzip) instead of compressing
# per request or not at all. A compressed copy that is not smaller is not kept. config.json is
# left out: a business edits it in place after a build, and a stale .br would win.
set -euo pipefail
staging=${TRUNK_STAGING_DIR:?run by Trunk as a post_build hook}
find "$staging" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
  -o -name '*.svg' \) -print0 |
  while IFS= read -r -d '' file; do
    size=$(stat -c %s "$file")
    brotli -q 11 -f -o "$file.br" "$file"
    gzip -9 -n -c "$file" >"$file.gz"
    for packed in "$file.br" "$file.gz"; do
      [ "$(stat -c %s "$packed")" -lt "$size" ] || rm -f "$packed"
    done
  done
