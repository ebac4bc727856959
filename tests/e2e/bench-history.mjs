// History figures for `make bench`, against a demo customer with a 100,000-event history
// (scripts/bench.sh seeds it), in headless Chromium on loopback:
//   history-first-page-median  the route starts (`rapport:history-start`, the page component is
//                              created) -> the first page of the timeline painted
//                              (`rapport:history-ready`); median of fresh contexts
//   history-filter-median      a filter's change event -> the new first page painted
//                              (`rapport:history-filtered`); median over kind/channel changes
//   history-rows-at-5000       timeline rows in the DOM once event 5,000 has been loaded by
//                              scrolling (most seen at any point on the way)
//   history-js-heap            JS heap in use then (CDP Runtime.getHeapUsage, after a GC)
// Prints one `bench:` line per figure (and `info:` lines). Usage: node bench-history.mjs <base-url> <runs>
import { demoToken, launch, median } from './bench-common.mjs';

const [base = 'http://127.0.0.1:18766', runsArg = '7'] = process.argv.slice(2);
const runs = Number(runsArg);
const budgets = { first: 150, filter: 100, rows: 300, heapMb: 50 };
const TARGET = 5000;

const browser = await launch();
const token = () => demoToken(base);

const session = await token();
async function open() {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  await context.addInitScript((t) => localStorage.setItem('rapport.session', t), session);
  // Trunk's loader announces the instance: keep its memory to report the wasm side too.
  await context.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => {
    window.rapportWasmMemory = e.detail.wasm.memory;
  }));
  const page = await context.newPage();
  await page.goto(`${base}/history`);
  await page.waitForFunction(() => performance.getEntriesByName('rapport:history-ready').length > 0, null, { timeout: 10_000 });
  return { context, page };
}

// First page after the route starts; also from navigation start, for the record.
const first = [];
const fromNavigation = [];
for (let i = 0; i < runs; i++) {
  const { context, page } = await open();
  const [start, ready] = await page.evaluate(() => [
    performance.getEntriesByName('rapport:history-start')[0].startTime,
    performance.getEntriesByName('rapport:history-ready')[0].startTime,
  ]);
  first.push(ready - start);
  fromNavigation.push(ready);
  await context.close();
}

// Filter changes: the change event is dispatched in the page, timed from there to the mark.
const { context, page } = await open();
const filter = [];
const changes = [['#history-kind', 'purchase'], ['#history-channel', 'store'], ['#history-kind', 'interaction'],
  ['#history-channel', ''], ['#history-kind', '']];
// Whole rounds of the five changes, so the timeline ends unfiltered for the scroll below.
for (let i = 0; i < changes.length * Math.max(2, Math.ceil(runs / 2)); i++) {
  const [selector, value] = changes[i % changes.length];
  const took = await page.evaluate(([selector, value]) => new Promise((resolve) => {
    const before = performance.getEntriesByName('rapport:history-filtered').length;
    // The portal renders inside <rapport-portal>'s shadow root.
    const select = document.querySelector('rapport-portal').shadowRoot.querySelector(selector);
    select.value = value;
    const started = performance.now();
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const wait = () => {
      const marks = performance.getEntriesByName('rapport:history-filtered');
      if (marks.length > before) resolve(marks[marks.length - 1].startTime - started);
      else requestAnimationFrame(wait);
    };
    wait();
  }), [selector, value]);
  filter.push(took);
}

// Scroll as a reader would (wheel), until event 5,000 has been loaded, counting rows on the way.
await page.evaluate(() => { window.scrollTo(0, 0); });
let most = 0;
let loaded = 0;
const scrollStarted = Date.now();
while (loaded < TARGET && Date.now() - scrollStarted < 120_000) {
  await page.mouse.wheel(0, 3000);
  await page.waitForTimeout(30);
  [loaded, most] = await page.evaluate((most) => {
    const root = document.querySelector('rapport-portal').shadowRoot;
    return [
      Number(root.querySelector('.timeline').dataset.loaded),
      Math.max(most, root.querySelectorAll('.timeline li.event').length),
    ];
  }, most);
}
const scrollSeconds = (Date.now() - scrollStarted) / 1000;
const cdp = await context.newCDPSession(page);
await cdp.send('HeapProfiler.collectGarbage');
const heap = await cdp.send('Runtime.getHeapUsage');
const wasmMemory = await page.evaluate(() => window.rapportWasmMemory?.buffer.byteLength ?? 0);
await context.close();
await browser.close();

const line = (name, value, unit, budget, digits = 1) =>
  console.log(`bench: ${name} = ${value.toFixed(digits)} ${unit} (budget ${budget} ${unit}) ${value < budget ? 'ok' : 'OVER'}`);
line('history-first-page-median', median(first), 'ms', budgets.first);
line('history-filter-median', median(filter), 'ms', budgets.filter);
line('history-rows-at-5000', most, 'rows', budgets.rows, 0);
line('history-js-heap', heap.usedSize / 1024 / 1024, 'MB', budgets.heapMb);
console.log(`info: history-first-page from navigation start, median = ${median(fromNavigation).toFixed(1)} ms (includes loading the portal)`);
console.log(`info: history-scroll reached ${loaded} events in ${scrollSeconds.toFixed(1)} s; JS heap allocated ${(heap.totalSize / 1024 / 1024).toFixed(1)} MB; wasm linear memory (not part of the JS heap, holds the loaded events) ${(wasmMemory / 1024 / 1024).toFixed(1)} MB`);
