// The configurator's speed for `make bench`: the time from a choice (a click on an option)
// to the new total on screen, over a generated catalogue of 50 options (five groups of ten,
// single and multiple choice, by the piece and multiplying, with requires/excludes/only-with
// rules), served to the page as its config.json. Measured in headless Chromium from the click
// to the first animation frame after the total's text changed (the frame that paints it),
// median of many choices. Prints one `bench:` line. Usage: node bench-design.mjs <base-url> <runs>
import { demoToken, launch, median } from './bench-common.mjs';

const [base = 'http://127.0.0.1:18766', runsArg = '7'] = process.argv.slice(2);
const choices = Math.max(31, Number(runsArg) * 7);
const budget = 16;

const text = (en) => ({ en, sv: `${en} (sv)` });

/** Five groups of ten options: 50 in all, every price and rule kind among them. */
function catalogue() {
  const groups = [];
  const rules = [];
  for (let g = 0; g < 5; g++) {
    const single = g % 2 === 0;
    const options = [];
    for (let o = 0; o < 10; o++) {
      const id = `g${g}o${o}`;
      const option = { id, name: text(`Option ${g}.${o}`), price: { add: 1000 + 250 * o + 5000 * g } };
      if (!single && o === 9) option.price = { multiply: 1.05 };
      if (!single && o === 3) option.quantity = { min: 1, max: 8 };
      if (single && o === 0) option.default = true;
      options.push(option);
    }
    groups.push({ id: `g${g}`, name: text(`Group ${g}`), choice: single ? 'single' : 'multiple', required: g === 0, options });
  }
  for (let o = 1; o < 8; o++) rules.push({ option: `g1o${o}`, requires: [`g1o${o - 1}`], why: text('Needs the one before.') });
  rules.push({ option: 'g3o5', excludes: ['g3o6', 'g3o7'] });
  rules.push({ option: 'g2o9', only_with_models: ['big'] });
  return {
    currency: 'SEK',
    models: [
      { id: 'small', name: text('Small'), base_price_minor: 100000 },
      { id: 'big', name: text('Big'), base_price_minor: 200000 },
    ],
    groups,
    rules,
  };
}

const browser = await launch();
const context = await browser.newContext({ locale: 'en-GB' });
const config = await (await fetch(`${base}/config.json`)).json();
config.catalogue = catalogue();
await context.route('**/config.json', (route) => route.fulfill({ json: config }));
await context.addInitScript((t) => localStorage.setItem('rapport.session', t), await demoToken(base));
const page = await context.newPage();
await page.goto(`${base}/design`);
await page.locator('#design-total').waitFor();
await page.locator('#option-g1o0').waitFor();

/** Clicks the option with this id and waits for the painted frame with the new total. */
const choose = (id) => page.evaluate((id) => new Promise((resolve, reject) => {
  const root = document.querySelector('rapport-portal')?.shadowRoot ?? document;
  const total = root.querySelector('#design-total');
  const input = root.querySelector(`#option-${id}`);
  const before = total.textContent;
  const started = performance.now();
  const timer = setTimeout(() => reject(new Error(`the total did not change after ${id}`)), 5000);
  const observer = new MutationObserver(() => {
    if (total.textContent === before) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
  observer.observe(total, { childList: true, subtree: true, characterData: true });
  input.click();
}), id);

// Toggles that always change the total: multiple-choice options (on, then off) and single
// choices moving along their group.
const plan = [];
for (let i = 0; plan.length < choices; i++) {
  plan.push('g1o0', `g3o${i % 3}`, `g4o${(i % 8) + 1}`, `g0o${(i % 9) + 1}`, `g2o${(i % 8) + 1}`);
}
for (const id of plan.slice(0, 10)) await choose(id); // warm up
const times = [];
for (const id of plan.slice(0, choices)) times.push(await choose(id));
await browser.close();

const value = median(times);
console.log(`bench: price-update-50-options = ${value.toFixed(1)} ms (budget ${budget} ms) ${value <= budget ? 'ok' : 'OVER'}`);
