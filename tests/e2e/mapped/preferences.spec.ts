// The Preferences page against a real mapped store (see profile.spec.ts): ticked items and
// contact choices kept by the store, a second browser's save, and the store going away.
import { test, expect, signIn, save, saved, stored, storeDown, storeUp, type StoreAccount } from './store';
import type { Browser, Page } from '@playwright/test';

// The first group of that name is the checklist; a conflict view repeats the name.
const interests = (page: Page) => page.getByRole('group', { name: 'Interests and hobbies' }).first();

async function window(browser: Browser) {
  return (await browser.newContext({ locale: 'en-GB' })).newPage();
}

/** Signs in and saves first preferences (the store starts with none). */
async function firstSave(page: Page, account: StoreAccount) {
  await signIn(page, account, '/preferences');
  await interests(page).getByLabel('Music').check();
  await save(page);
  await saved(page);
}

test('ticked items and contact choices are saved in the store and survive a reload', async ({ page, request, account }) => {
  await signIn(page, account, '/preferences');
  await interests(page).getByLabel('Golf').check();
  await interests(page).getByLabel('Music').check();
  await page.getByRole('checkbox', { name: 'Offers and discounts by E-mail' }).check();
  await page.getByLabel('How often by E-mail').selectOption({ label: 'Weekly' });
  await save(page);
  await saved(page);

  await page.reload();
  await expect(interests(page).getByLabel('Golf')).toBeChecked();
  await expect(interests(page).getByLabel('Music')).toBeChecked();
  await expect(interests(page).getByLabel('Cooking')).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Offers and discounts by E-mail' })).toBeChecked();
  await expect(page.getByLabel('How often by E-mail')).toHaveValue('weekly');
  const kept = await stored(request, account, 'preferences');
  expect([...kept?.answers.interests.chosen].sort()).toEqual(['golf', 'music']);
  expect(kept?.contact.subscriptions).toContainEqual({ topic: 'offers', channel: 'email' });
});

test('two browsers edit at once: the second save shows the conflict and neither edit is lost', async ({ browser, request, account }) => {
  const first = await window(browser);
  await firstSave(first, account);
  const second = await window(browser);
  await signIn(second, account, '/preferences');
  await expect(interests(second).getByLabel('Music')).toBeChecked();

  await interests(first).getByLabel('Golf').check();
  await first.getByRole('checkbox', { name: 'New products by Text message' }).check();
  await save(first);
  await saved(first);

  await interests(second).getByLabel('Cooking').check();
  await second.getByRole('checkbox', { name: 'Tips and inspiration by Post' }).check();
  await save(second);
  const conflict = second.getByRole('region', { name: 'Changed both here and elsewhere' });
  await expect(conflict.getByRole('group', { name: 'Interests and hobbies' })).toBeVisible();
  await expect(interests(second).getByLabel('Cooking')).toBeChecked();
  expect([...(await stored(request, account, 'preferences'))?.answers.interests.chosen].sort()).toEqual(['golf', 'music']);

  await conflict.getByLabel(/^Keep mine: /).check();
  await save(second);
  await saved(second);
  const kept = await stored(request, account, 'preferences');
  expect([...kept?.answers.interests.chosen].sort()).toEqual(['cooking', 'music']);
  // The cells each window ticked were different fields: both are kept.
  expect(kept?.contact.subscriptions).toEqual([
    { topic: 'news', channel: 'sms' },
    { topic: 'tips', channel: 'post' },
  ]);
  await first.context().close();
  await second.context().close();
});

test('the store down during a save keeps the edit, says so, and saves once it is back', async ({ page, request, account }) => {
  await firstSave(page, account);
  await interests(page).getByLabel('Travel').check();
  await storeDown();
  try {
    await save(page);
    await expect(page.getByRole('alert')).toContainText('Your changes were not saved, but they are still here.');
    await expect(page.getByRole('alert')).toContainText('We could not reach the server.');
    await expect(interests(page).getByLabel('Travel')).toBeChecked();
  } finally {
    await storeUp();
  }
  await save(page);
  await saved(page);
  expect([...(await stored(request, account, 'preferences'))?.answers.interests.chosen].sort()).toEqual(['music', 'travel']);
});
