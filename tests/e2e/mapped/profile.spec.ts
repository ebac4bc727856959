// The Profile page against a real mapped store (Kinto on PostgreSQL or PocketBase, whichever
// scripts/e2e-stores.sh started): every call goes from the browser to the store, across
// origins, exactly as the mapping in examples/backends/<store>/config.json plans it. Nothing
// here is shaped by page.route: conflicts come from a second browser, the outage from
// stopping the store's process.
import { test, expect, signIn, save, saved, stored, storeDown, storeUp, type StoreAccount } from './store';
import type { Browser } from '@playwright/test';

const name = (page: import('@playwright/test').Page) => page.getByLabel('Name', { exact: true });

/** Signs in and saves a first profile (the store starts with none: the mapping's *_create). */
async function firstSave(page: import('@playwright/test').Page, account: StoreAccount, who: string) {
  await signIn(page, account);
  await name(page).fill(who);
  await page.getByLabel('E-mail address').fill('astrid@example.se');
  await save(page);
  await saved(page);
}

async function window(browser: Browser) {
  return (await browser.newContext({ locale: 'en-GB' })).newPage();
}

test('an edited profile is saved in the store and survives a reload', async ({ page, request, account }) => {
  await firstSave(page, account, 'Astrid First');
  expect((await stored(request, account, 'profile'))?.name).toBe('Astrid First');

  const edited = `Astrid ${Date.now()}`;
  await name(page).fill(edited);
  await page.getByLabel('Phone number').fill('+46 8 555 010 10');
  await expect(page.getByRole('status').last()).toHaveText('You have unsaved changes.');
  await save(page);
  await saved(page);
  await page.reload();
  await expect(name(page)).toHaveValue(edited);
  await expect(page.getByLabel('Phone number')).toHaveValue('+46 8 555 010 10');
  const now = await stored(request, account, 'profile');
  expect([now?.name, now?.phone]).toEqual([edited, '+46 8 555 010 10']);
});

test('two browsers edit at once: the second save is told someone saved first, and nothing is overwritten', async ({ browser, request, account }) => {
  const first = await window(browser);
  await firstSave(first, account, 'Before Both');
  const second = await window(browser);
  await signIn(second, account);
  await expect(name(second)).toHaveValue('Before Both');

  await name(first).fill('Saved First');
  await save(first);
  await saved(first);

  await name(second).fill('Saved Second');
  await save(second);
  const conflict = second.getByRole('region', { name: 'Changed both here and elsewhere' });
  await expect(conflict.getByRole('group', { name: 'Name' })).toBeVisible();
  await expect(conflict.getByLabel('Keep the one saved elsewhere: Saved First')).toBeVisible();
  await expect(name(second)).toHaveValue('Saved Second');
  expect((await stored(request, account, 'profile'))?.name).toBe('Saved First');

  await conflict.getByLabel('Keep mine: Saved Second').check();
  await save(second);
  await saved(second);
  expect((await stored(request, account, 'profile'))?.name).toBe('Saved Second');
  await first.context().close();
  await second.context().close();
});

test('the store down during a save: a clear message, the edit kept, saved once the store is back', async ({ page, request, account }) => {
  await firstSave(page, account, 'Before Outage');
  await name(page).fill('Edited During Outage');
  await storeDown();
  try {
    await save(page);
    await expect(page.getByRole('alert')).toContainText('Your changes were not saved, but they are still here.');
    await expect(page.getByRole('alert')).toContainText('We could not reach the server.');
    await expect(name(page)).toHaveValue('Edited During Outage');
  } finally {
    await storeUp();
  }
  await save(page);
  await saved(page);
  expect((await stored(request, account, 'profile'))?.name).toBe('Edited During Outage');
  await page.reload();
  await expect(name(page)).toHaveValue('Edited During Outage');
});
