// The welcome page a customer lands on: since the last visit, saved designs, and suggestions
// only with the customer's consent to personalisation, each saying why.
import { execFileSync } from 'node:child_process';
import { test, expect, expectNoAxeViolations, apiToken, signIn, type Account } from './fixtures';
import { serverBinary, testDatabase, NEW_VISIT_AFTER_SECONDS } from './playwright.config';
import type { APIRequestContext, Page } from '@playwright/test';

async function api(request: APIRequestContext, account: Account) {
  const headers = { authorization: `Bearer ${await apiToken(request, account)}` };
  return { headers };
}

/** Ticks interests as the preferences page would, through the API. */
async function chooseInterests(request: APIRequestContext, account: Account, items: string[]) {
  const { headers } = await api(request, account);
  const current = await request.get('/api/me/preferences', { headers });
  const data = { ...(await current.json()).data, answers: { interests: { chosen: items } } };
  const put = await request.put('/api/me/preferences', { headers: { ...headers, 'if-match': current.headers()['etag'] }, data });
  expect(put.status()).toBe(200);
}

/** Orders a Fika box as it comes, at the price the catalogue gives it. */
async function orderFikaBox(request: APIRequestContext, account: Account): Promise<string> {
  const { headers } = await api(request, account);
  const order = {
    name: 'Weekend fika',
    spec: { model: 'fika-box', options: { 'dark-roast': 1 } },
    total_minor: 29900,
    currency: 'SEK',
  };
  const placed = await request.post('/api/me/orders', { headers, data: order });
  expect(placed.status()).toBe(201);
  return (await placed.json()).reference;
}

/** The business fulfils the order, with the server's own command. */
function fulfil(reference: string) {
  execFileSync(serverBinary, ['--db', testDatabase, 'orders', 'fulfil', reference], { stdio: 'pipe' });
}

/** Waits until the next page load counts as a new visit. */
async function laterVisit(page: Page) {
  await page.waitForTimeout((NEW_VISIT_AFTER_SECONDS + 1) * 1000);
}

test('a customer lands on the welcome page, and the next visit tells what happened since', async ({ page, request, customer }) => {
  await signIn(page, customer, '/');
  await expect(page.getByRole('heading', { name: 'Welcome, Test Customer' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your first visit' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');

  const reference = await orderFikaBox(request, customer);
  fulfil(reference);
  await laterVisit(page);
  await page.reload();

  await expect(page.getByRole('heading', { name: /^Since your last visit on / })).toBeVisible();
  const counts = page.locator('.since-counts');
  await expect(counts.getByText('New purchases: 1')).toBeVisible();
  await expect(counts.getByText('Requests: 2')).toBeVisible();
  const answered = page.getByRole('list').filter({ hasText: reference });
  await expect(answered).toContainText('Weekend fika');

  // Reloading within the same visit keeps the same "since".
  await page.reload();
  await expect(page.locator('.since-counts').getByText('New purchases: 1')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('suggestions show only with consent to personalisation, say why, and go at once when it is withdrawn', async ({ page, request, customer }) => {
  await chooseInterests(request, customer, ['cooking']);
  await signIn(page, customer, '/');
  const suggestions = page.getByRole('region', { name: 'Suggestions for you' });
  await expect(suggestions.getByText('only if you allow it')).toBeVisible();
  await expect(suggestions.getByRole('heading', { name: 'Fika box' })).toHaveCount(0);

  const allow = suggestions.getByRole('switch', { name: 'I agree' });
  await allow.focus();
  await page.keyboard.press('Space');
  await expect(suggestions.getByRole('heading', { name: 'Fika box' })).toBeVisible();
  await expect(suggestions.getByText('Because you chose “Cooking” under Interests and hobbies')).toBeVisible();
  await expect(suggestions.getByRole('link', { name: 'Design your Fika box' })).toBeVisible();
  await expectNoAxeViolations(page);

  await allow.uncheck();
  await expect(suggestions.getByRole('heading', { name: 'Fika box' })).toHaveCount(0);
  await expect(suggestions.getByText('only if you allow it')).toBeVisible();

  // The decisions went into the ledger as made on the welcome page.
  const { headers } = await api(request, customer);
  const receipts = (await (await request.get('/api/me/consents', { headers })).json()).receipts;
  expect(receipts.map((r: { decision: string }) => r.decision)).toEqual(['given', 'withdrawn']);
});

test('the welcome page asks the backend for each document once, its parts sharing the consents', async ({ page, customer }) => {
  await signIn(page, customer, '/');
  const reads: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.method() === 'GET' && url.pathname.startsWith('/api/me/')) reads.push(url.pathname);
  });
  await page.reload();
  await expect(page.getByRole('region', { name: 'Suggestions for you' }).getByRole('switch', { name: 'I agree' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^(Your first visit|Since your last visit)/ })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(reads.filter((p) => p === '/api/me/consents')).toHaveLength(1);
  expect(reads.length).toBe(new Set(reads).size);
});

test('suggestions drawn from purchases name what was bought', async ({ page, request, customer }) => {
  const reference = await orderFikaBox(request, customer);
  fulfil(reference);
  await signIn(page, customer, '/');
  const suggestions = page.getByRole('region', { name: 'Suggestions for you' });
  await suggestions.getByRole('switch', { name: 'I agree' }).check();
  // The fulfilled order is a purchase of a Fika box, which the Gift crate goes with.
  await expect(suggestions.getByRole('heading', { name: 'Gift crate' })).toBeVisible();
  await expect(suggestions.getByText('Because you bought Fika box')).toBeVisible();
});

test('the welcome page in Swedish has no axe-core violations, with and without suggestions', async ({ browser, request, customer }) => {
  await chooseInterests(request, customer, ['cooking']);
  const swedish = await browser.newContext({ locale: 'sv-SE' });
  const page = await swedish.newPage();
  await page.goto('/');
  await page.getByLabel('E-postadress').fill(customer.email);
  await page.getByLabel('Lösenord').fill(customer.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: 'Välkommen, Test Customer' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ditt första besök' })).toBeVisible();
  await expectNoAxeViolations(page);
  const suggestions = page.getByRole('region', { name: 'Förslag till dig' });
  await suggestions.getByRole('switch').check();
  await expect(suggestions.getByText('Eftersom du valde ”Matlagning” under Intressen och hobbyer')).toBeVisible();
  await expectNoAxeViolations(page);
  await swedish.close();
});

test('the dark theme of the welcome page has no axe-core violations', async ({ browser, request, customer }) => {
  await chooseInterests(request, customer, ['cooking']);
  const dark = await browser.newContext({ colorScheme: 'dark' });
  const page = await dark.newPage();
  await signIn(page, customer, '/');
  await page.getByRole('region', { name: 'Suggestions for you' }).getByRole('switch').check();
  await expect(page.getByText('Because you chose “Cooking” under Interests and hobbies')).toBeVisible();
  await expectNoAxeViolations(page);
  await dark.close();
});
