#!/usr/bin/env bash
# Post-build step (run by scripts/post-build.sh, after route splitting and before
# precompression): writes $TRUNK_STAGING_DIR/rapport.js, the one script a host page adds to
# embed the portal:
#
#   <script type="module" src="https://portal.example/rapport.js"></script>
#   <rapport-portal config="https://portal.example/config.json"></rapport-portal>
#
# It loads the build's JS and wasm by their final (hashed) names, relative to its own URL
# (import.meta.url), so they come from the portal's origin whatever page includes it. The
# names are read from the loader Trunk put in the staged index.html (as the splitter left
# it), or else from the files themselves. rapport.js keeps its name from build to build, so
# it must be served with `Cache-Control: no-cache`; the files it names are immutable.
set -euo pipefail
staging=${TRUNK_STAGING_DIR:?run by Trunk as a post_build hook}
index="$staging/index.html"

js=$(grep -o "from '[^']*\.js'" "$index" | head -n 1 | sed "s/^from '//; s/'$//" || true)
wasm=$(grep -o "module_or_path: '[^']*\.wasm'" "$index" | head -n 1 | sed "s/^module_or_path: '//; s/'$//" || true)
js=${js##*/}
wasm=${wasm##*/}
if [ -z "$js" ]; then
  js=$(cd "$staging" && ls rapport-*.js 2>/dev/null | head -n 1 || true)
fi
if [ -z "$wasm" ]; then
  wasm=$(cd "$staging" && ls rapport-*_bg.wasm 2>/dev/null | head -n 1 || true)
fi
for file in "$js" "$wasm"; do
  if [ -z "$file" ] || [ ! -f "$staging/$file" ]; then
    echo "embed-loader: cannot find the portal's JS and wasm in $staging (js='$js', wasm='$wasm')" >&2
    exit 1
  fi
done

cat > "$staging/rapport.js" <<JS
// Rapport's embed loader, written at build time by scripts/postbuild/embed-loader.sh.
// Add it to a page with <script type="module" src="https://<portal>/rapport.js"></script>;
// it defines <rapport-portal>. Everything it loads comes from its own origin.
import init from './$js';
await init({ module_or_path: new URL('./$wasm', import.meta.url) });
JS
echo "embed-loader: rapport.js loads $js and $wasm" >&2
