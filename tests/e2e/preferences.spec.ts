// The Preferences page end to end: checklists and contact controls kept by the customer,
// without losing an edit to a reload, a second window or a dead backend.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, signIn, apiToken, expectNoAxeViolations, type Account } from './fixtures';

const save = (page: Page) => page.getByRole('button', { name: 'Save changes' }).click();
const saved = (page: Page) => expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
// The first group of that name is the checklist; a conflict view repeats the name.
const interests = (page: Page) => page.getByRole('group', { name: 'Interests and hobbies' }).first();

/** Reads the customer's preferences as stored, through the API. */
async function storedPreferences(request: APIRequestContext, customer: Account) {
  const headers = { authorization: `Bearer ${await apiToken(request, customer)}` };
  return async () => (await (await request.get('/api/me/preferences', { headers })).json()).data;
}

test('ticked items and contact choices are saved and survive a reload', async ({ page, request, customer }) => {
  await signIn(page, customer, '/preferences');
  await expect(page.getByRole('checkbox', { name: 'Offers and discounts by E-mail' })).not.toBeChecked();
  await interests(page).getByLabel('Golf').check();
  await interests(page).getByLabel('Music').check();
  await page.getByRole('group', { name: 'Do you often buy gifts for others?' }).getByLabel('Sometimes').check();
  await page.getByRole('checkbox', { name: 'Offers and discounts by E-mail' }).check();
  await page.getByLabel('How often by E-mail').selectOption({ label: 'Weekly' });

  await page.getByText(/Review your changes \(4\)/).click();
  await expect(page.getByText('Interests and hobbies: No answer → Golf, Music')).toBeVisible();
  await expect(page.getByText('How often by E-mail: Monthly → Weekly')).toBeVisible();
  await save(page);
  await saved(page);

  await page.reload();
  await expect(interests(page).getByLabel('Golf')).toBeChecked();
  await expect(interests(page).getByLabel('Music')).toBeChecked();
  await expect(interests(page).getByLabel('Cooking')).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Offers and discounts by E-mail' })).toBeChecked();
  await expect(page.getByLabel('How often by E-mail')).toHaveValue('weekly');
  // What the backend keeps is what was ticked.
  const stored = await (await storedPreferences(request, customer))();
  expect(stored.answers.interests.chosen).toEqual(['golf', 'music']);
  expect(stored.answers.gift_buyer.chosen).toEqual(['sometimes']);
  expect(stored.contact.subscriptions).toContainEqual({ topic: 'offers', channel: 'email' });
});

test('an edit not yet saved is restored after a reload, with a notice', async ({ page, customer }) => {
  await signIn(page, customer, '/preferences');
  await interests(page).getByLabel('Reading').check();
  await interests(page).getByLabel('Other, in your own words').fill('Birdwatching');
  page.once('dialog', (dialog) => dialog.accept());
  await page.reload();
  await expect(page.getByText('We put back changes you had not saved yet.')).toBeVisible();
  await expect(interests(page).getByLabel('Reading')).toBeChecked();
  await expect(interests(page).getByLabel('Other, in your own words')).toHaveValue('Birdwatching');
  await expect(page.getByRole('status').last()).toHaveText('You have unsaved changes.');
});

test('two windows edit at once: the second save shows the conflict and neither edit is lost', async ({ browser, request, customer }) => {
  const server = await storedPreferences(request, customer);
  const first = await (await browser.newContext({ locale: 'en-GB' })).newPage();
  const second = await (await browser.newContext({ locale: 'en-GB' })).newPage();
  await signIn(first, customer, '/preferences');
  await signIn(second, customer, '/preferences');

  await interests(first).getByLabel('Golf').check();
  await first.getByRole('checkbox', { name: 'New products by Text message' }).check();
  await save(first);
  await saved(first);

  await interests(second).getByLabel('Cooking').check();
  await second.getByRole('checkbox', { name: 'Tips and inspiration by Post' }).check();
  await save(second);
  const conflict = second.getByRole('region', { name: 'Changed both here and elsewhere' });
  await expect(conflict.getByRole('group', { name: 'Interests and hobbies' })).toBeVisible();
  await expect(conflict.getByLabel('Keep mine: Cooking')).toBeVisible();
  await expect(conflict.getByLabel('Keep the one saved elsewhere: Golf')).toBeVisible();
  expect((await server()).answers.interests.chosen).toEqual(['golf']);
  await expect(interests(second).getByLabel('Cooking')).toBeChecked();

  await conflict.getByLabel('Keep mine: Cooking').check();
  await save(second);
  await saved(second);
  const stored = await server();
  expect(stored.answers.interests.chosen).toEqual(['cooking']);
  // The cells each window ticked were different fields: both are kept.
  expect(stored.contact.subscriptions).toEqual([
    { topic: 'news', channel: 'sms' },
    { topic: 'tips', channel: 'post' },
  ]);
  await expect(second.getByRole('checkbox', { name: 'New products by Text message' })).toBeChecked();
});

test('a backend that is down during a save keeps the edit and says so', async ({ page, customer }) => {
  await signIn(page, customer, '/preferences');
  await page.route('**/api/me/preferences', (route) =>
    route.request().method() === 'PUT' ? route.abort('connectionrefused') : route.continue(),
  );
  await interests(page).getByLabel('Travel').check();
  await save(page);
  await expect(page.getByRole('alert')).toContainText('Your changes were not saved, but they are still here.');
  await expect(page.getByRole('alert')).toContainText('We could not reach the server.');
  await expect(interests(page).getByLabel('Travel')).toBeChecked();
  await page.unroute('**/api/me/preferences');
  await save(page);
  await saved(page);
});

test('pausing all contact needs an end date', async ({ page, request, customer }) => {
  const server = await storedPreferences(request, customer);
  await signIn(page, customer, '/preferences');
  await page.getByLabel('Pause all contact').check();
  await save(page);
  await expect(page.getByText('Choose the date the pause ends.')).toBeVisible();
  await expect(page.getByLabel('Until (inclusive)')).toBeFocused();
  await page.getByLabel('Until (inclusive)').fill('2031-06-30');
  await save(page);
  await saved(page);
  expect((await server()).contact.paused_until).toBe('2031-06-30');
});

test('every control is reachable and operable by keyboard alone', async ({ page, request, customer }) => {
  const server = await storedPreferences(request, customer);
  await signIn(page, customer, '/preferences');
  await page.getByRole('link', { name: 'Preferences' }).focus();
  // Tab forward until the first interest checkbox has focus, then operate it with Space.
  const golf = interests(page).getByLabel('Golf');
  for (let i = 0; i < 60 && !(await golf.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(golf).toBeFocused();
  await page.keyboard.press('Space');
  await expect(golf).toBeChecked();

  const cell = page.getByRole('checkbox', { name: 'Your orders and deliveries by In the app' });
  for (let i = 0; i < 120 && !(await cell.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(cell).toBeFocused();
  await page.keyboard.press('Space');
  await expect(cell).toBeChecked();

  const save = page.getByRole('button', { name: 'Save changes' });
  for (let i = 0; i < 10 && !(await save.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(save).toBeFocused();
  await page.keyboard.press('Enter');
  await saved(page);
  const stored = await server();
  expect(stored.answers.interests.chosen).toEqual(['golf']);
  expect(stored.contact.subscriptions).toEqual([{ topic: 'orders', channel: 'in_app' }]);
});

for (const [language, title] of [['English', 'Your preferences'], ['Svenska', 'Dina önskemål']]) {
  test(`the preferences page has no axe-core violations in ${language}`, async ({ page, customer }) => {
    await signIn(page, customer, '/preferences');
    await page.getByLabel(/Language|Språk/).selectOption({ label: language });
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await page.getByRole('checkbox').first().check();
    await page.locator('#pause').check();
    await page.locator('details.why').first().locator('summary').click();
    await page.locator('details.review summary').click();
    await expectNoAxeViolations(page);
  });
}
