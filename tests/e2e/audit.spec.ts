// The privacy officer's audit view end to end: roles kept apart, the chain verified, consent
// over time as charts with their tables, the ledger filtered and exported, one customer's
// choices as of a date, the screen catalog.
import type { Page } from '@playwright/test';
import { test, expect, signIn, addAccount, apiToken, officerToken, expectNoAxeViolations, type Account } from './fixtures';

/** Signs a new privacy officer in. */
async function signInAsOfficer(page: Page) {
  const officer = addAccount({ officer: true });
  await page.goto('/');
  await page.getByLabel('E-mail address').fill(officer.email);
  await page.getByLabel('Password').fill(officer.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Consent audit' })).toBeVisible();
}

/** Makes sure the ledger has a recent decision by the test's customer. */
async function customerDecides(page: Page, customer: Account) {
  await signIn(page, customer);
  await page.getByRole('link', { name: 'Privacy' }).click();
  await page.getByRole('article', { name: 'Marketing messages' }).getByRole('switch').click();
  await expect(page.getByRole('article', { name: 'Marketing messages' }).getByRole('status')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

test('the officer sees an intact chain, filters and exports the ledger, and looks a customer up', async ({ page, customer }) => {
  await customerDecides(page, customer);
  await signInAsOfficer(page);
  await expect(page.getByRole('navigation').getByRole('link')).toHaveText(['Audit']);
  await expect(page.getByText(/^Entries checked: \d+\. The chain is intact\.$/)).toBeVisible();
  await expect(page.getByText(/^The newest entry \(\d+\) is signed with the server's key [0-9a-f]{16}/)).toBeVisible();

  const ledger = page.getByRole('region', { name: 'Ledger entries' });
  await page.getByLabel('Purpose').selectOption({ label: 'Marketing messages' });
  await expect(ledger.getByRole('row').nth(1)).toContainText('marketing');
  await expect(ledger.getByRole('row').filter({ hasText: 'personalisation' })).toHaveCount(0);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('consent-ledger.csv');
  const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^seq,customer_ref,purpose,decision/);
  expect(csv).toContain(',marketing,');

  const pseudonym = (await ledger.getByRole('row').nth(1).getByRole('cell').nth(2).textContent())!.trim();
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Customer (pseudonym)').fill(pseudonym);
  await page.getByLabel('As of').fill(today);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByRole('list').filter({ hasText: 'marketing:' })).toBeVisible();
});

test('a customer cannot open the audit', async ({ page, customer }) => {
  await signIn(page, customer);
  await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByRole('alert').first()).toContainText('This part of the portal is not open to your account.');
});

for (const [language, title] of [['English', 'Consent audit'], ['Svenska', 'Granskning av samtycken']]) {
  test(`the audit view has no axe-core violations in ${language}`, async ({ page }) => {
    await signInAsOfficer(page);
    await page.getByRole('banner').getByLabel('Language').selectOption({ label: language });
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await page.locator('details.screen summary').first().click();
    await expectNoAxeViolations(page);
  });
}

test('consent given and withdrawn per month, as a chart per purpose with its table', async ({ page, request, customer }) => {
  await customerDecides(page, customer);
  const token = await officerToken(request);
  const response = await request.get('/api/audit/consents/trend', { headers: { authorization: `Bearer ${token}` } });
  expect(response.ok()).toBeTruthy();
  const trend: { months: { month: string; purpose: string; given: number; withdrawn: number }[] } = await response.json();
  const thisMonth = new Date().toISOString().slice(0, 7);
  const marketing = trend.months.find((m) => m.purpose === 'marketing' && m.month === thisMonth)!;
  expect(marketing.given + marketing.withdrawn).toBeGreaterThan(0);
  const customerForbidden = await request.get('/api/audit/consents/trend', {
    headers: { authorization: `Bearer ${await apiToken(request, customer)}` },
  });
  expect(customerForbidden.status()).toBe(403);

  await signInAsOfficer(page);
  await expect(page.getByRole('heading', { name: 'Consent over time', level: 2 })).toBeVisible();
  const chart = page.getByRole('figure').filter({
    has: page.getByRole('img', { name: 'Bar chart of consent to “Marketing messages” given and withdrawn per month' }),
  });
  await expect(chart).toBeVisible();
  await expect(chart.getByRole('listitem')).toHaveText(['Agreed', 'Withdrawn']);
  const toggle = chart.getByText('Show as table');
  for (let i = 0; i < 60 && !(await toggle.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(toggle).toBeFocused();
  await page.keyboard.press('Enter');
  const table = chart.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText(['Month', 'Agreed', 'Withdrawn']);
  const month = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${thisMonth}-15T00:00:00Z`));
  await expect(table.locator('tbody tr').last().locator('th, td')).toHaveText([month, String(marketing.given), String(marketing.withdrawn)]);
  await expectNoAxeViolations(page);

  await page.getByRole('banner').getByLabel('Language').selectOption({ label: 'Svenska' });
  const svChart = page.getByRole('figure').filter({
    has: page.getByRole('img', { name: 'Stapeldiagram över samtycke till ”Marknadsföring” som getts och återkallats per månad' }),
  });
  await expect(svChart).toBeVisible();
  // Redrawn in Swedish in place: the table opened above stays open.
  await expect(svChart.getByText('Visa som tabell')).toBeVisible();
  await expect(svChart.getByRole('table').getByRole('columnheader')).toHaveText(['Månad', 'Samtyckt', 'Återkallat']);
  await expectNoAxeViolations(page);
});
