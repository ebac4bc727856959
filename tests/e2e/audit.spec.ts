// The privacy officer's audit view end to end: roles kept apart, the chain verified, the ledger
// filtered and exported, one customer's choices as of a date, the screen catalog.
import type { Page } from '@playwright/test';
import { test, expect, signIn, addAccount, expectNoAxeViolations, type Account } from './fixtures';

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
