// The History page end to end, against a customer's own 300 generated events (seed 42): derived facts and
// their charts (each with its table), filters,
// search, dates in the reader's time zone, loading as the customer scrolls with a bounded DOM,
// "Load more" by keyboard, the empty and error states, the export, and axe in both languages.
import type { APIRequestContext, Page } from '@playwright/test';
import { test as base, expect, signIn, apiToken, newCustomer, expectNoAxeViolations, type Account } from './fixtures';
import * as fs from 'node:fs';

/** Each test's customer comes with a history of 300 events, as the demo customer has. */
const test = base.extend<{ customer: Account }>({
  customer: async ({ request }, use) => {
    await use(await newCustomer(request, { history: 300 }));
  },
});

// Dates are shown and filtered in the reader's zone; pin one that is not UTC.
const ZONE = 'Europe/Stockholm';
test.use({ timezoneId: ZONE });

type Event = { id: number; channel: string; occurred_at: number; kind: string; details: any };

async function api(request: APIRequestContext, customer: Account, path: string) {
  const response = await request.get(path, { headers: { authorization: `Bearer ${await apiToken(request, customer)}` } });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

async function allEvents(request: APIRequestContext, customer: Account): Promise<Event[]> {
  return (await api(request, customer, '/api/me/history/export?format=json')).events;
}

const rows = (page: Page) => page.locator('.timeline li.event');
const loaded = (page: Page) => page.locator('.timeline');
const status = (page: Page) => page.locator('.timeline-status');

async function openHistory(page: Page, customer: Account) {
  await signIn(page, customer);
  await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'Your history', level: 1 })).toBeVisible();
  await expect(status(page)).toHaveText('50 events loaded');
}

/** `2026-11-22` for an instant, in the test's zone (Swedish writes dates the ISO way). */
const localDay = (secs: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(secs * 1000));

test('derived facts and the newest events, grouped by day', async ({ page, request, customer }) => {
  const facts = await api(request, customer, '/api/me/history/facts');
  const events = await allEvents(request, customer);
  await openHistory(page, customer);
  const summary = page.getByRole('region', { name: 'At a glance' });
  await expect(summary.getByText('Customer since')).toBeVisible();
  // On History the products bought most are a chart (checked below); the profile lists them.
  await expect(summary.getByRole('img', { name: 'Bar chart of the products you bought most, in units' })).toBeVisible();
  await expect(summary.getByText(`On average ${facts.mean_days_between_purchases} days between purchases`)).toBeVisible();
  // The first row is the newest event, under a heading for its day in the reader's zone.
  const first = rows(page).first();
  await expect(first.locator('time')).toHaveAttribute('datetime', new Date(events[0].occurred_at * 1000).toISOString());
  const heading = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: ZONE }).format(new Date(events[0].occurred_at * 1000));
  await expect(page.getByRole('heading', { name: heading, level: 3 })).toBeVisible();
  expect(await rows(page).count()).toBe(50);

  // The profile page shows the same facts, read-only, below the form.
  await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
  const onProfile = page.getByRole('region', { name: 'From your history' });
  await expect(onProfile.getByText(`${facts.top_products[0].product} (${facts.top_products[0].units} units)`)).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeEditable();
});

test('filtering by kind and channel shows only those events', async ({ page, request, customer }) => {
  const expected = (await allEvents(request, customer)).filter((e) => e.kind === 'purchase' && e.channel === 'store');
  await openHistory(page, customer);
  await page.getByLabel('Kind').selectOption({ label: 'Purchase' });
  await page.getByLabel('Channel').selectOption({ label: 'Store' });
  await expect(rows(page).first().locator('time')).toHaveAttribute('datetime', new Date(expected[0].occurred_at * 1000).toISOString());
  await expect(status(page)).toHaveText(`${Math.min(50, expected.length)} events loaded`);
  const kinds = await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
  expect(new Set(kinds)).toEqual(new Set(['purchase']));
  const channels = await rows(page).locator('.channel').allTextContents();
  expect(new Set(channels)).toEqual(new Set(['Store']));

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByLabel('Kind')).toHaveValue('');
  await expect(rows(page).first().locator('time')).toHaveAttribute('datetime', new Date((await allEvents(request, customer))[0].occurred_at * 1000).toISOString());
});

test('search finds events by product, after a pause in typing', async ({ page, request, customer }) => {
  const expected = (await allEvents(request, customer)).filter((e) =>
    e.kind === 'purchase' && e.details.items.some((i: any) => /lingonsylt/i.test(i.product)));
  expect(expected.length).toBeGreaterThan(0);
  await openHistory(page, customer);
  await page.getByLabel('Search').pressSequentially('lingonsy', { delay: 30 });
  await expect(status(page)).toHaveText(`${Math.min(50, expected.length)} events loaded`);
  const texts = await rows(page).allTextContents();
  for (const text of texts) expect(text).toMatch(/Lingonsylt/);
});

test('a date range keeps the events of those days in the reader\'s time zone', async ({ page, request, customer }) => {
  const events = await allEvents(request, customer);
  const day = localDay(events[5].occurred_at);
  const expected = events.filter((e) => localDay(e.occurred_at) === day);
  await openHistory(page, customer);
  await page.getByLabel('From').fill(day);
  await page.getByLabel('To (inclusive)').fill(day);
  await expect(status(page)).toHaveText(`${expected.length} events loaded`);
  const stamps = await rows(page).locator('time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')!));
  expect(stamps.map((s) => localDay(Date.parse(s) / 1000))).toEqual(expected.map(() => day));

  // The wrong way round: said at the field, and the timeline stays as it was.
  await page.getByLabel('From').fill('2030-01-02');
  await expect(page.getByText('The end date is before the start date.')).toBeVisible();
  await expect(page.getByLabel('To (inclusive)')).toHaveAttribute('aria-invalid', 'true');
  await expect(rows(page)).toHaveCount(expected.length);
});

test('scrolling loads the whole history while the DOM holds at most 200 rows', async ({ page, request, customer }) => {
  const events = await allEvents(request, customer);
  await openHistory(page, customer);
  let most = 0;
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(100);
    most = Math.max(most, await rows(page).count());
    if ((await loaded(page).getAttribute('data-loaded')) === String(events.length)) break;
  }
  await page.keyboard.press('End');
  await expect(loaded(page)).toHaveAttribute('data-loaded', String(events.length));
  await expect(page.getByText('This is the beginning of your history.')).toBeVisible();
  await expect(status(page)).toHaveText(`${events.length} events loaded`);
  most = Math.max(most, await rows(page).count());
  expect(most).toBeLessThanOrEqual(200);
  // The oldest event is on screen, the newest has left the DOM ...
  const last = events[events.length - 1];
  await expect(page.locator(`time[datetime="${new Date(last.occurred_at * 1000).toISOString()}"]`)).toBeVisible();
  await expect(page.locator(`time[datetime="${new Date(events[0].occurred_at * 1000).toISOString()}"]`)).toHaveCount(0);
  // ... and comes back when the customer scrolls up again.
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, -4000);
    await page.waitForTimeout(50);
  }
  await expect(page.locator(`time[datetime="${new Date(events[0].occurred_at * 1000).toISOString()}"]`)).toBeVisible();
  expect(await rows(page).count()).toBeLessThanOrEqual(200);
});

test('"Load more" works from the keyboard', async ({ page, customer }) => {
  await openHistory(page, customer);
  const more = page.getByRole('button', { name: 'Load more' });
  for (let i = 0; i < 40 && !(await more.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(more).toBeFocused();
  // Reaching the button may already have loaded a page as it scrolled into view.
  await expect(status(page)).toHaveText(/^\d+ events loaded$/);
  const before = Number(await loaded(page).getAttribute('data-loaded'));
  await page.keyboard.press('Enter');
  await expect.poll(async () => Number(await loaded(page).getAttribute('data-loaded'))).toBeGreaterThan(before);
});

test('a search with no match says so', async ({ page, customer }) => {
  await openHistory(page, customer);
  await page.getByLabel('Search').fill('zzyzxqv');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
});

test('a failed page keeps the rows already shown and can be retried', async ({ page, customer }) => {
  await openHistory(page, customer);
  await page.route('**/api/me/history?*cursor=*', (route) => route.fulfill({ status: 503, json: {} }));
  await page.getByRole('button', { name: 'Load more' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('We could not load more of your history.');
  // 503 is the backend shedding load: worded as such, not as a failure code.
  await expect(alert).toContainText('The server is busy right now.');
  await expect(rows(page)).toHaveCount(50);
  await page.unroute('**/api/me/history?*cursor=*');
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(status(page)).toHaveText(/^(100|150|200|250|300) events loaded$/);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the whole history downloads as CSV and as JSON', async ({ page, request, customer }) => {
  const events = await allEvents(request, customer);
  await openHistory(page, customer);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^rapport-history-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync(await csv.path(), 'utf8');
  expect(text.startsWith('id,occurred_at,kind,channel,description,total_minor,currency,store,details\r\n')).toBe(true);
  const ids = text.split('\r\n').slice(1).filter((line) => /^\d+,/.test(line)).map((line) => Number(line.split(',')[0]));
  expect(ids).toEqual(events.map((e) => e.id));
  await expect(page.getByText(/Your download has started: rapport-history-.*\.csv/)).toBeVisible();

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  expect(json.suggestedFilename()).toMatch(/\.json$/);
  const parsed = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  expect(parsed.events).toEqual(events);
});

test('no axe-core violations in English and Swedish', async ({ page, customer }) => {
  await openHistory(page, customer);
  await expect(page.getByRole('region', { name: 'At a glance' }).getByText('Customer since')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Language').selectOption('sv');
  await expect(page.getByRole('heading', { name: 'Din historik', level: 1 })).toBeVisible();
  await expect(page.getByText('50 händelser hämtade')).toBeVisible();
  await expect(page.getByRole('region', { name: 'I korthet' }).getByText('Kund sedan')).toBeVisible();
  await expectNoAxeViolations(page);
});

type MonthSpend = { month: string; currency: string; total_minor: number; purchases: number };

/** `2026-03` plus `n` months. */
function addMonths(month: string, n: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + m - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Moves focus forward with Tab until `target` has it (at most 60 presses). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 60 && !(await target.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('spending per month and the products bought most as charts, each with its table', async ({ page, request, customer }) => {
  const facts = await api(request, customer, '/api/me/history/facts');
  const spending: MonthSpend[] = facts.spending_by_month;
  expect(spending.length).toBeGreaterThan(0);
  const currency = spending.some((m) => m.currency === 'SEK') ? 'SEK' : spending[0].currency;
  const last = spending.map((m) => m.month).sort().at(-1)!;
  const months = Array.from({ length: 12 }, (_, i) => addMonths(last, i - 11));
  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const expected = months.map((month) => {
    const found = spending.find((m) => m.month === month && m.currency === currency);
    return [
      monthName.format(new Date(`${month}-15T00:00:00Z`)),
      money.format((found?.total_minor ?? 0) / 100),
      String(found?.purchases ?? 0),
    ];
  });

  await openHistory(page, customer);
  const summary = page.getByRole('region', { name: 'At a glance' });
  const chart = summary.getByRole('figure').filter({
    has: page.getByRole('img', { name: `Bar chart of your spending per month in ${currency}, over the 12 months up to your latest purchase` }),
  });
  await expect(chart).toBeVisible();
  await expect(summary.getByRole('heading', { name: `Spending per month (${currency})`, level: 3 })).toBeVisible();
  // The table is behind its disclosure, reached and opened from the keyboard.
  const table = chart.getByRole('table');
  await expect(table).toBeHidden();
  const toggle = chart.getByText('Show as table');
  await tabTo(page, toggle);
  await page.keyboard.press('Enter');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['Month', 'Spent', 'Purchases']);
  const cells = await table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => Array.from(row.children).map((cell) => (cell.textContent ?? '').replace(/[\u00a0\u202f]/g, ' '))));
  expect(cells).toEqual(expected.map((row) => row.map((text) => text.replace(/[\u00a0\u202f]/g, ' '))));
  // The columns drawn: one bar per month that had purchases.
  const drawn = await chart.locator('svg rect.bar').count();
  expect(drawn).toBe(expected.filter((row) => row[2] !== '0').length);

  const products = summary.getByRole('figure').filter({
    has: page.getByRole('img', { name: 'Bar chart of the products you bought most, in units' }),
  });
  await expect(products.locator('svg text.bar-label')).toHaveText(facts.top_products.map((p: any) => p.product));
  await tabTo(page, products.getByText('Show as table'));
  await page.keyboard.press('Enter');
  const productRows = await products.getByRole('table').locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => Array.from(row.children).map((cell) => cell.textContent)));
  expect(productRows).toEqual(facts.top_products.map((p: any) => [p.product, String(p.units)]));
  await expectNoAxeViolations(page);

  await page.getByLabel('Language').selectOption('sv');
  const swedish = page.getByRole('region', { name: 'I korthet' });
  const svChart = swedish.getByRole('figure').filter({
    has: page.getByRole('img', { name: `Stapeldiagram över dina inköp per månad i ${currency}, de 12 månaderna fram till ditt senaste köp` }),
  });
  await expect(svChart).toBeVisible();
  // Redrawn in Swedish in place: the table opened above stays open.
  await expect(svChart.getByText('Visa som tabell')).toBeVisible();
  await expect(svChart.getByRole('table').getByRole('columnheader')).toHaveText(['Månad', 'Belopp', 'Antal köp']);
  const svMonth = new Intl.DateTimeFormat('sv', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${months[11]}-15T00:00:00Z`));
  await expect(svChart.getByRole('table').locator('tbody tr').last().getByRole('rowheader')).toHaveText(svMonth);
  await expectNoAxeViolations(page);
});
