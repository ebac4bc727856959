// Prints the resource waterfall of a cold load of /profile (diagnostics, not a benchmark).
import { demoToken, launch } from './bench-common.mjs';
const [base = 'http://127.0.0.1:18790'] = process.argv.slice(2);
const browser = await launch();
const session = await demoToken(base);
const context = await browser.newContext({ locale: 'en-GB' });
await context.addInitScript((t) => localStorage.setItem('rapport.session', t), session);
const page = await context.newPage();
await page.goto(`${base}/profile`);
await page.waitForFunction(() => performance.getEntriesByName('rapport:profile-ready').length > 0, null, { timeout: 10_000 });
const rows = await page.evaluate(() => [
  ...performance.getEntriesByType('navigation').map((e) => ['nav', e.name, 0, e.responseEnd]),
  ...performance.getEntriesByType('resource').map((e) => ['res', e.name.replace(/^https?:\/\/[^/]+/, ''), e.startTime, e.responseEnd]),
  ...performance.getEntriesByType('mark').map((e) => ['mark', e.name, e.startTime, e.startTime]),
]);
rows.sort((a, b) => a[2] - b[2]);
for (const [k, n, s, e] of rows) console.log(`${k.padEnd(5)} ${s.toFixed(0).padStart(5)} ${e.toFixed(0).padStart(5)}  ${n}`);
await browser.close();
