// Browser figures for `make bench`: time from navigation start to the profile form on screen
// (the portal's `rapport:profile-ready` mark; cold: a fresh context, nothing cached), and a save's round trip as the customer sees
// it (click -> "saved"), each the median of several runs in fresh headless Chromium contexts.
// Prints one `bench:` line per figure. Usage: node bench.mjs <base-url> <runs>
import { demoToken, launch, markOf, median, reportMarks } from './bench-common.mjs';

const [base = 'http://127.0.0.1:18766', runsArg = '7'] = process.argv.slice(2);
const runs = Number(runsArg);
const budgets = { first: 250, save: 200 };

const browser = await launch();
const token = () => demoToken(base);

const first = [];
const save = [];
for (let i = 0; i < runs; i++) {
  const session = await token();
  // A fresh context each run: empty cache, as on a customer's first visit.
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.addInitScript((t) => localStorage.setItem('rapport.session', t), session);
  await reportMarks(context);
  const page = await context.newPage();
  const ready = markOf(page, 'rapport:profile-ready');
  await page.goto(`${base}/profile`);
  first.push(await ready);

  await page.getByLabel('Name').fill(`Bench ${i}`);
  const started = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Your changes are saved.').waitFor();
  save.push((await page.evaluate(() => performance.now())) - started);
  await context.close();
}
await browser.close();

const line = (name, value, unit, budget) =>
  console.log(`bench: ${name} = ${value.toFixed(1)} ${unit} (budget ${budget} ${unit}) ${value <= budget ? 'ok' : 'OVER'}`);
line('profile-visible-median', median(first), 'ms', budgets.first);
line('profile-save-round-trip-median', median(save), 'ms', budgets.save);
