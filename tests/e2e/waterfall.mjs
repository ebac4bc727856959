// Where a cold load of a section spends its time (diagnostics beside `make bench`, not a
// benchmark): the resources and marks of one load, then the median of each of the portal's
// milestones (`rapport:*` performance marks, reported by the page itself) over several loads.
// Usage: node waterfall.mjs <base-url> [path=/profile] [runs=9]
import { demoToken, launch, markOf, median, reportMarks } from './bench-common.mjs';

const [base = 'http://127.0.0.1:18766', path = '/profile', runs = '9'] = process.argv.slice(2);
const last = path === '/profile' ? 'rapport:profile-ready' : 'rapport:welcome-page';
const browser = await launch();

/** One cold load until the section's last mark: every mark, and the page's own timings. */
async function load() {
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.addInitScript((t) => localStorage.setItem('rapport.session', t), await demoToken(base));
  await reportMarks(context);
  const page = await context.newPage();
  const marks = new Map();
  page.on('console', (m) => {
    const [word, name, at] = m.text().split(' ');
    if (word === 'mark') marks.set(name, Number(at));
  });
  const done = markOf(page, last);
  await page.goto(`${base}${path}`);
  await done;
  const resources = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => [e.name.replace(/^https?:\/\/[^/]+/, ''), e.startTime, e.responseEnd]));
  await context.close();
  return { marks, resources };
}

const first = await load();
const rows = [
  ...first.resources.map(([name, start, end]) => ['res', name, start, end]),
  ...[...first.marks].map(([name, at]) => ['mark', name, at, at]),
].sort((a, b) => a[2] - b[2]);
for (const [kind, name, start, end] of rows) {
  console.log(`${kind.padEnd(5)} ${start.toFixed(0).padStart(5)} ${end.toFixed(0).padStart(5)}  ${name}`);
}
const seen = new Map();
for (let i = 0; i < Number(runs); i++) {
  for (const [name, at] of (await load()).marks) seen.set(name, [...(seen.get(name) ?? []), at]);
}
await browser.close();
console.log(`\nmedian of ${runs} loads:`);
for (const [name, at] of [...seen].sort((a, b) => median(a[1]) - median(b[1]))) {
  console.log(`${median(at).toFixed(0).padStart(5)} ms  ${name}`);
}
