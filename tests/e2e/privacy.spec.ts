// The Privacy page end to end: consent given and withdrawn against the exact text shown, the
// privacy officer's view of the same events, re-consent after a new text version, the data
// download and erasure requests.
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, signIn, officerToken, expectNoAxeViolations, type Account } from './fixtures';

const marketing = (page: Page) => page.getByRole('article', { name: 'Marketing messages' });
const marketingSwitch = (page: Page) => marketing(page).getByRole('switch', { name: 'I agree' });

/** The SHA-256 of the text the portal shows for a purpose: title, description, policy. */
async function shownHash(page: Page, purposeId: string, language: string) {
  const config = await (await page.request.get('/config.json')).json();
  const purpose = config.purposes.find((p: { id: string }) => p.id === purposeId);
  const text = [purpose.title[language], purpose.description[language], purpose.policy[language]].join('\n\n');
  return { hash: createHash('sha256').update(text, 'utf8').digest('hex'), version: purpose.version };
}

async function openPrivacy(page: Page, customer: Account) {
  await signIn(page, customer);
  await page.getByRole('link', { name: 'Privacy' }).click();
  await expect(page.getByRole('heading', { name: 'Your privacy' })).toBeVisible();
}

test('consent given and withdrawn is recorded against the exact text, and the officer sees both', async ({ page, request, customer }) => {
  await openPrivacy(page, customer);
  // A new customer: nothing is pre-ticked.
  await expect(marketingSwitch(page)).not.toBeChecked();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const since = Math.floor(Date.now() / 1000);

  await marketingSwitch(page).check();
  await expect(marketing(page).getByRole('status')).toContainText('Agreed. Receipt number');
  // The downloadable receipt holds the customer's own count and entry hash, nothing of others.
  const receiptDownload = page.waitForEvent('download');
  await marketing(page).getByRole('button', { name: 'Download the receipt' }).click();
  const receipt = JSON.parse(Buffer.concat(await (await (await receiptDownload).createReadStream()).toArray()).toString('utf8'));
  expect(receipt.entry_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(receipt.number).toBeGreaterThan(0);
  for (const hidden of ['seq', 'prev_hash', 'customer_ref', 'signature']) expect(receipt).not.toHaveProperty(hidden);
  await expect(marketing(page).getByText(/^You agreed on /)).toBeVisible();
  await marketingSwitch(page).uncheck();
  await expect(marketing(page).getByRole('status')).toContainText('Withdrawn. Receipt number');
  await expect(marketingSwitch(page)).not.toBeChecked();

  const history = page.getByRole('region', { name: 'Your consent history' });
  const rows = history.getByRole('row').filter({ hasText: 'Marketing messages' });
  await expect(rows.first()).toContainText('Withdrawn');
  await expect(rows.nth(1)).toContainText('Agreed');

  const { hash, version } = await shownHash(page, 'marketing', 'en');
  const token = await officerToken(request);
  const ledger = await request.get(`/api/audit/ledger?purpose=marketing&from=${since}`, { headers: { authorization: `Bearer ${token}` } });
  expect(ledger.status()).toBe(200);
  const { entries } = await ledger.json();
  const recent = entries.slice(-2);
  expect(recent.map((e: { decision: string }) => e.decision)).toEqual(['given', 'withdrawn']);
  for (const entry of recent) {
    expect(entry.text_sha256).toBe(hash);
    expect(entry.purpose_version).toBe(version);
    expect(entry.language).toBe('en');
    expect(entry.screen).toBe('privacy');
  }
  const verify = await request.get('/api/audit/verify', { headers: { authorization: `Bearer ${token}` } });
  expect((await verify.json()).intact).toBe(true);
});

test('a new version of a purpose text asks again and shows the old choice as outdated', async ({ page, customer }) => {
  await openPrivacy(page, customer);
  if (!(await marketingSwitch(page).isChecked())) {
    await marketingSwitch(page).check();
    await expect(marketing(page).getByRole('status')).toContainText('Agreed.');
  }
  await page.route('**/config.json', async (route) => {
    const config = await (await route.fetch()).json();
    const purpose = config.purposes.find((p: { id: string }) => p.id === 'marketing');
    purpose.version += 1;
    purpose.policy.en += ' We now also send a birthday greeting.';
    purpose.policy.sv += ' Vi skickar nu också en födelsedagshälsning.';
    await route.fulfill({ json: config });
  });
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: 'We have changed what we ask for' });
  await expect(banner).toContainText('The text has changed for: Marketing messages.');
  await expect(marketingSwitch(page)).not.toBeChecked();
  await expect(marketing(page).getByText(/you agreed to an earlier version of this text/)).toBeVisible();
  await expect(marketing(page).getByText('We now also send a birthday greeting.', { exact: false })).toBeVisible();
});

test('the data download holds the profile, preferences, consent history and history', async ({ page, customer }) => {
  await openPrivacy(page, customer);
  // One decision now, so the ledger has at least one entry whatever ran before.
  await marketingSwitch(page).click();
  await expect(marketing(page).getByRole('status')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('my-data.json');
  const data = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
  expect(data.profile.email).toBeTruthy();
  expect(data.preferences).toHaveProperty('answers');
  expect(data.consents.receipts.length).toBeGreaterThan(0);
  expect(data.consents.purposes.map((p: { purpose: string }) => p.purpose)).toContain('marketing');
  expect(Array.isArray(data.history)).toBe(true);
  expect(data.history.length).toBeGreaterThan(0);
});

test('erasure is asked for with a confirmation, then shows its status', async ({ page, customer }) => {
  await openPrivacy(page, customer);
  await page.getByRole('button', { name: 'Request erasure' }).click();
  await expect(page.getByText('This cannot be undone.')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Yes, erase my data' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Request erasure' }).click();
  await page.getByRole('button', { name: 'Yes, erase my data' }).click();
  await expect(page.getByRole('list', { name: 'Your erasure requests' })).toContainText(': received');
});

test('a consent switch works by keyboard', async ({ page, customer }) => {
  await openPrivacy(page, customer);
  const wanted = !(await marketingSwitch(page).isChecked());
  await marketingSwitch(page).focus();
  await page.keyboard.press('Space');
  await expect(marketing(page).getByRole('status')).toContainText(wanted ? 'Agreed.' : 'Withdrawn.');
  expect(await marketingSwitch(page).isChecked()).toBe(wanted);
});

for (const [language, title] of [['English', 'Your privacy'], ['Svenska', 'Din integritet']]) {
  test(`the privacy page has no axe-core violations in ${language}`, async ({ page, customer }) => {
    await openPrivacy(page, customer);
    await marketingSwitch(page).click();
    await expect(marketing(page).getByRole('status')).toBeVisible();
    await page.getByRole('button', { name: 'Request erasure' }).click();
    await page.getByLabel('Language').selectOption({ label: language });
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('the business privacy policy is on the privacy page, in the customer language', async ({ page, customer }) => {
  await openPrivacy(page, customer);
  await expect(page.getByRole('region', { name: 'Our privacy policy' })).toContainText('We never sell your data.');
  await page.getByLabel('Language').selectOption({ label: 'Svenska' });
  await expect(page.getByRole('region', { name: 'Vår integritetspolicy' })).toContainText('Vi säljer aldrig dina uppgifter.');
});
