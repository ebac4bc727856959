// Size and wire figures for `make bench` (KB = 1,000 bytes; brotli -q 11 as built by
// scripts/postbuild/precompress.sh), measured by loading the portal in headless Chromium:
//   first-screen-brotli      every wasm, JS and CSS file a signed-in customer's landing page
//                            (the welcome page) fetches: main wasm, the route's modules, JS, CSS
//   sign-in-screen-brotli    the same for the sign-in screen
//   route-<name>-brotli      what opening a section costs after the landing: its own module
//                            (split_<name>-<hash>.wasm) and the shared chunks it loads that the
//                            landing had not (read from the splitter's __wasm_split-<hash>.js)
//   mapping-engine-module-brotli  the mapped backend with its mapping engine, a module only a
//                            business with a mapped store fetches (split_mapped-<hash>.wasm,
//                            with its chunks, as for a route)
//   all-files-brotli         every wasm, JS and CSS file of the build together
//   first-screen-wire        bytes the server actually sent for the landing page (every
//                            response, headers included, as Chromium counts them; it sends
//                            Accept-Encoding: br)
//   static-warm-median       one static file (the favicon) on a kept-alive connection, median
//                            of 200 requests after 20 to warm up
// Usage: node bench-size.mjs <base-url> <dist-dir>
import { demoToken, launch, median } from './bench-common.mjs';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const [base = 'http://127.0.0.1:18766', dist = 'dist'] = process.argv.slice(2);
const budgets = { first: 150, signIn: 120, route: 100, all: 400, wire: 160, warm: 2 };
const KB = 1000;

/** Brotli size of a built file: its .br beside it, else compressed here the same way. */
function brotli(name) {
  const file = path.join(dist, name);
  if (fs.existsSync(`${file}.br`)) return fs.statSync(`${file}.br`).size;
  return zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
const isCode = (name) => /\.(wasm|js|css)$/.test(name);

const line = (name, value, unit, budget, digits = 1) =>
  console.log(`bench: ${name} = ${value.toFixed(digits)} ${unit} (budget ${budget} ${unit}) ${value <= budget ? 'ok' : 'OVER'}`);

/** The shared chunks each split module loads, as the splitter's loader lists them. */
function chunksByModule(files) {
  const loader = files.find((f) => /^__wasm_split-[0-9a-f]+\.js$/.test(f));
  const text = fs.readFileSync(path.join(dist, loader), 'utf8');
  const chunkFile = new Map();
  for (const [, variable, file] of text.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) {
    chunkFile.set(variable, file);
  }
  const chunks = new Map();
  for (const [, module, deps] of text.matchAll(/export const __wasm_split_load_(\w+) = [\s\S]*?, \[([^\]]*)\]\)\);/g)) {
    chunks.set(module, deps.split(',').map((d) => chunkFile.get(d.trim())).filter(Boolean));
  }
  return chunks;
}

const browser = await launch();

/** Loads `url` in a fresh context until `ready`; the built files it fetched and the wire bytes. */
async function load(url, ready, token) {
  const context = await browser.newContext({ locale: 'en-GB' });
  if (token) await context.addInitScript((t) => localStorage.setItem('rapport.session', t), token);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let wire = 0;
  cdp.on('Network.loadingFinished', (e) => { wire += e.encodedDataLength; });
  const files = new Set();
  page.on('requestfinished', (r) => {
    const name = decodeURIComponent(new URL(r.url()).pathname.slice(1));
    if (isCode(name) && fs.existsSync(path.join(dist, name))) files.add(name);
  });
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  return { files: [...files].sort(), wire };
}

const signIn = await load(`${base}/`, (page) => page.getByRole('heading', { name: 'Sign in' }).waitFor());
const landing = await load(`${base}/`, (page) => page.waitForFunction(
  () => performance.getEntriesByName('rapport:welcome-page').length > 0, null, { timeout: 10_000 }), await demoToken(base));
await browser.close();

const sum = (files) => files.reduce((total, f) => total + brotli(f), 0);
console.log(`info: first screen loads ${landing.files.join(', ')}`);
line('first-screen-brotli', sum(landing.files) / KB, 'KB', budgets.first);
line('sign-in-screen-brotli', sum(signIn.files) / KB, 'KB', budgets.signIn);
const built = fs.readdirSync(dist).filter(isCode);
const chunksOf = chunksByModule(built);
for (const name of built.filter((f) => /^split_.*\.wasm$/.test(f)).sort()) {
  const module = name.replace(/^split_|-[0-9a-f]+\.wasm$/g, '');
  const extra = (chunksOf.get(module) ?? []).filter((chunk) => !landing.files.includes(chunk));
  // The mapping engine and the mapped backend: fetched only where config.json maps a store.
  const figure = module === 'mapped' ? 'mapping-engine-module-brotli' : `route-${module}-brotli`;
  line(figure, sum([name, ...extra]) / KB, 'KB', budgets.route);
}
line('all-files-brotli', sum(built) / KB, 'KB', budgets.all);
line('first-screen-wire', landing.wire / KB, 'KB', budgets.wire);

// A static file on one kept-alive connection: what Nagle's algorithm with delayed ACKs would
// hold back by ~40 ms per response.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = () => new Promise((resolve, reject) => {
  const started = process.hrtime.bigint();
  http.get(`${base}/favicon.svg`, { agent, headers: { 'accept-encoding': 'br' } }, (response) => {
    response.resume();
    response.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  }).on('error', reject);
});
for (let i = 0; i < 20; i++) await get();
const warm = [];
for (let i = 0; i < 200; i++) warm.push(await get());
agent.destroy();
line('static-warm-median', median(warm), 'ms', budgets.warm, 2);
