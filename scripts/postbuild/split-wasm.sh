#!/usr/bin/env bash
# Route splitting, run by scripts/post-build.sh after Trunk has staged a build. Trunk cannot
# split a wasm (trunk issue #1022) and its own output of a lazy-routed app does not start (the
# JS imports `__wasm_split_placeholder__`), so this runs for every build:
#   1. wasm-split-cli cuts cargo's raw wasm (linked with --emit-relocs, see .cargo/config.toml)
#      into the main module, one module per split route and shared chunks, plus the JS that
#      loads them (__wasm_split.js);
#   2. wasm-bindgen on the main module, under Trunk's own hashed name, so Trunk's loader in
#      index.html stays and __wasm_split.js (importing "./<name>.js") shares its one instance;
#   3. in release, wasm-opt on every module;
#   4. chunks and __wasm_split.js get content-hashed names (cached forever by the server);
#   5. index.html's sha384 integrity attributes are recomputed for the files replaced.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
staging=${TRUNK_STAGING_DIR:?run by Trunk as a post_build hook}
profile_dir=${RAPPORT_CARGO_PROFILE:-wasm-release}   # Trunk.toml's cargo_profile (dev builds too)
raw="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/$profile_dir/rapport.wasm"
[ -f "$raw" ] || { echo "split-wasm: no cargo output at $raw" >&2; exit 1; }

shopt -s nullglob
js_files=("$staging"/rapport-*.js)
[ ${#js_files[@]} -eq 1 ] || { echo "split-wasm: expected one rapport-*.js in $staging" >&2; exit 1; }
stem=$(basename "${js_files[0]}" .js)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# All the landing route shares is one chunk, and the other shared chunks are merged where one
# file less saves more than the code it makes routes load without needing it, one file being
# worth 8 KB of code (tools/wasm-split/chunk-order.patch). Unmerged, each set of routes sharing
# code had a chunk: ~60 requests for one route, six at a time over HTTP/1.1, each compiled and
# instantiated on its own, and each importing what it calls from the main module.
chunk_order=welcome,profile,preferences,privacy,history,design,audit,mapped
wasm-split-cli "$raw" "$work/split" --out-name "$stem" --chunk-order "$chunk_order" \
  --chunk-file-cost 8192
for module in "$work/split"/split_*.wasm; do
  name=$(basename "$module" .wasm)
  [[ ",$chunk_order," == *",${name#split_},"* ]] \
    || { echo "split-wasm: add the new module ${name#split_} to chunk_order" >&2; exit 1; }
done
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$work/bound" --out-name "$stem" "$work/split/$stem.wasm"

optimise() { # in out
  if [ "${TRUNK_PROFILE:-debug}" = release ]; then
    # RAPPORT_WASM_NAMES=1 keeps function names, for reading a CPU profile (diagnostics only).
    wasm-opt -Oz ${RAPPORT_WASM_NAMES:+-g} --enable-bulk-memory --enable-nontrapping-float-to-int "$1" -o "$2"
  else
    cp "$1" "$2"
  fi
}
optimise "$work/bound/${stem}_bg.wasm" "$staging/${stem}_bg.wasm"
cp "$work/bound/$stem.js" "$staging/$stem.js"

hash16() { sha256sum "$1" | cut -c1-16; }
loader="$work/split/__wasm_split.js"
for chunk in "$work/split"/*.wasm; do
  name=$(basename "$chunk" .wasm)
  [ "$name" = "$stem" ] && continue
  optimise "$chunk" "$work/opt.wasm"
  hashed="$name-$(hash16 "$work/opt.wasm")"
  mv "$work/opt.wasm" "$staging/$hashed.wasm"
  sed -i "s|\"\./$name\.wasm\"|\"./$hashed.wasm\"|g" "$loader"
done
split_js="__wasm_split-$(hash16 "$loader")"
cp "$loader" "$staging/$split_js.js"
# Only the import specifiers: the wasm imports its functions under the module name itself.
sed -i "s|from \"\./__wasm_split\.js\"|from \"./$split_js.js\"|g" "$staging/$stem.js"

# The main JS imports the split loader statically, so the wasm cannot start before it has
# arrived: announce it in the page (beside Trunk's own preload of the main JS) so the two are
# fetched together instead of one after the other.
main_preload="<link rel=\"modulepreload\" href=\"/$stem.js\""
grep -q "$main_preload" "$staging/index.html" || { echo "split-wasm: no preload of $stem.js in index.html" >&2; exit 1; }
sed -i "s|$main_preload|<link rel=\"modulepreload\" href=\"/$split_js.js\" crossorigin=\"anonymous\" integrity=\"\">&|" "$staging/index.html"

# Trunk wrote sha384 integrity attributes for the JS and wasm it produced; the browser blocks
# a file whose hash differs, so they are recomputed for what is there now.
node - "$staging/index.html" "$staging" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const [html, dir] = process.argv.slice(2);
const text = fs.readFileSync(html, 'utf8').replace(/<link\b[^>]*>/g, (tag) => {
  const href = /\bhref="\/?([^"?#]+)"/.exec(tag);
  if (!href || !/\bintegrity="/.test(tag)) return tag;
  const file = path.join(dir, decodeURIComponent(path.basename(href[1])));
  if (!fs.existsSync(file)) return tag;
  const sri = 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(file)).digest('base64');
  return tag.replace(/\bintegrity="[^"]*"/, `integrity="${sri}"`);
});
fs.writeFileSync(html, text);
JS
echo "split-wasm: $(ls "$staging" | grep -c '\.wasm$') wasm modules ($stem)" >&2
