// The Profile page end to end: what a customer does, and what happens when things go wrong.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, signIn, apiToken, expectNoAxeViolations, type Account } from './fixtures';

test('an edited profile is saved and survives a reload', async ({ page, customer }) => {
  await signIn(page, customer);
  const name = `Astrid ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await expect(page.getByRole('status').last()).toHaveText('You have unsaved changes.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  await page.reload();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
});

test('mistakes are explained while typing and block the save', async ({ page, customer }) => {
  await signIn(page, customer);
  const email = page.getByLabel('E-mail address');
  await email.fill('astrid.example.se');
  await expect(page.getByText('This does not look like an e-mail address.')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Please correct the marked fields before saving.');
  await expect(email).toBeFocused();
  await email.fill('astrid@example.se');
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
});

test('a backend answering 500 shows a message and keeps the edit', async ({ page, customer }) => {
  await signIn(page, customer);
  await page.route('**/api/me/profile', (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"boom"}}' })
      : route.continue(),
  );
  const phone = page.getByLabel('Phone number');
  await phone.fill('+46 8 555 010 10');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Your changes were not saved, but they are still here.');
  await expect(page.getByRole('alert')).toContainText('error 500');
  await expect(phone).toHaveValue('+46 8 555 010 10');

  await page.unroute('**/api/me/profile');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
});

test('a lost connection shows a message and keeps the edit', async ({ page, customer }) => {
  await signIn(page, customer);
  await page.route('**/api/me/profile', (route) =>
    route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue(),
  );
  await page.getByLabel('Name', { exact: true }).fill('Offline Edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('We could not reach the server.');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Offline Edit');
});

/** Changes the customer's profile through the API, as the call centre or another device would. */
async function changeElsewhere(request: APIRequestContext, customer: Account, change: Record<string, unknown>) {
  const token = await apiToken(request, customer);
  const headers = { authorization: `Bearer ${token}` };
  const current = await request.get('/api/me/profile', { headers });
  const data = { ...(await current.json()).data, ...change };
  const put = await request.put('/api/me/profile', { headers: { ...headers, 'if-match': current.headers()['etag'] }, data });
  expect(put.status()).toBe(200);
  return {
    now: async () => (await (await request.get('/api/me/profile', { headers })).json()).data,
  };
}

test('a save against a newer version shows the conflict, overwrites nothing, and lets the customer choose', async ({ page, request, customer }) => {
  await signIn(page, customer);
  const elsewhere = `Call centre ${Date.now()}`;
  const server = await changeElsewhere(request, customer, { name: elsewhere });

  await page.getByLabel('Name', { exact: true }).fill('My own edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByRole('region', { name: 'Changed both here and elsewhere' });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole('group', { name: 'Name' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('My own edit');
  expect((await server.now()).name).toBe(elsewhere);

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose which version to keep for each field above before saving.');
  expect((await server.now()).name).toBe(elsewhere);

  await conflict.getByLabel('Keep mine: My own edit').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  expect((await server.now()).name).toBe('My own edit');
});

test('the version saved elsewhere can be kept instead', async ({ page, request, customer }) => {
  await signIn(page, customer);
  const server = await changeElsewhere(request, customer, { phone: '+46 31 700 00 00' });
  await page.getByLabel('Phone number').fill('+46 40 100 00 00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByLabel('Keep the one saved elsewhere: +46 31 700 00 00').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  await expect(page.getByLabel('Phone number')).toHaveValue('+46 31 700 00 00');
  expect((await server.now()).phone).toBe('+46 31 700 00 00');
});

test('changes to different fields here and elsewhere are combined, then saved when the customer says so', async ({ page, request, customer }) => {
  await signIn(page, customer);
  const server = await changeElsewhere(request, customer, { phone: '+46 8 123 456 78' });
  const name = `Combined ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Meanwhile, changes were saved elsewhere')).toBeVisible();
  await expect(page.getByLabel('Phone number')).toHaveValue('+46 8 123 456 78');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  expect((await server.now()).name).not.toBe(name);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  const now = await server.now();
  expect([now.name, now.phone]).toEqual([name, '+46 8 123 456 78']);
});

test('an unsaved edit survives a reload, with a notice, and leaving asks first', async ({ page, customer }) => {
  await signIn(page, customer);
  await page.getByLabel('Name', { exact: true }).fill('Draft name');
  await page.getByLabel('Phone number').fill('070 111 22 33');

  const dialogs: string[] = [];
  page.once('dialog', async (dialog) => {
    dialogs.push(dialog.type());
    await dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Preferences' }).click();
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  expect(dialogs).toEqual(['confirm']);

  page.once('dialog', (dialog) => dialog.accept());
  await page.reload();
  await expect(page.getByText('We put back changes you had not saved yet.')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Draft name');
  await expect(page.getByLabel('Phone number')).toHaveValue('070 111 22 33');
  await page.getByText(/Review your changes \(2\)/).click();
  await expect(page.getByText(/^Name: .+ → Draft name$/)).toBeVisible();

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  await page.reload();
  await expect(page.getByText('We put back changes')).toHaveCount(0);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Draft name');
});

test('the portal speaks Swedish by switch, remembers it, and follows the browser', async ({ page, browser, customer }) => {
  await signIn(page, customer);
  await page.getByLabel('Language').selectOption({ label: 'Svenska' });
  await expect(page.getByRole('heading', { name: 'Din profil' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('link', { name: 'Integritet' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Din profil' })).toBeVisible();
  await expectNoAxeViolations(page);

  const swedishBrowser = await browser.newContext({ locale: 'sv-SE' });
  const fresh = await swedishBrowser.newPage();
  await fresh.goto('/');
  await expect(fresh.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await swedishBrowser.close();
});

test('the profile and sign-in pages have no axe-core violations in English', async ({ page, customer }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page);
  await signIn(page, customer);
  await page.getByLabel('E-mail address').fill('broken');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
});

test('everything is reachable by keyboard: skip link, navigation, form, save', async ({ page, customer }) => {
  await signIn(page, customer);
  await page.reload();
  await expect(page.getByLabel('Name', { exact: true })).not.toHaveValue('');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  /** Tabs forward (each "Why we ask" is a stop of its own) until `target` has focus. */
  const tabTo = async (target: ReturnType<Page['locator']>, most = 6) => {
    for (let i = 0; i < most && !(await target.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(target).toBeFocused();
  };
  await tabTo(page.getByLabel('Name', { exact: true }));
  await page.keyboard.type(' K');
  // The radio group is one tab stop; arrows move within it.
  await tabTo(page.locator('input[name="preferred_contact"]:checked'), 10);
  const before = await page.locator('input[name="preferred_contact"]:checked').getAttribute('id');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('input[name="preferred_contact"]:checked')).not.toHaveAttribute('id', before!);
  // Past the review of changes (a disclosure, itself focusable) to the save button.
  await tabTo(page.getByRole('button', { name: 'Save changes' }), 4);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
});

test('the navigation marks the current section, and an unknown address says so', async ({ page, customer }) => {
  await signIn(page, customer);
  await page.getByRole('link', { name: 'Privacy' }).click();
  await expect(page.getByRole('heading', { name: 'Your privacy' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Privacy' })).toHaveAttribute('aria-current', 'page');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'There is no page at this address.' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your profile' }).click();
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
});

test('a mistake in the configuration is shown naming the setting', async ({ page }) => {
  await page.route('**/config.json', async (route) => {
    const config = await (await route.fetch()).json();
    config.languages = ['en', 'de'];
    config.theme.acent = 'red';
    await route.fulfill({ json: config });
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'This portal is not set up correctly' })).toBeVisible();
  await expect(page.getByText('languages[1]: "de" is not a language the portal has translations for')).toBeVisible();
  await expect(page.getByText('theme.acent: "acent" is not a theme setting')).toBeVisible();
});

test('every profile field says why we ask and which purpose it serves', async ({ page, customer }) => {
  await signIn(page, customer);
  const email = page.getByLabel('E-mail address');
  await expect(email).toHaveAccessibleDescription(/To send order confirmations and receipts/);
  await page.locator('.field', { has: email }).getByText('Why we ask').click();
  await expect(page.getByText(/To send order confirmations and receipts.*Used for: Customer service/)).toBeVisible();
  await expect(page.getByRole('group', { name: 'How do you prefer to be contacted?' })).toHaveAccessibleDescription(/So we reach you the way you like/);
});

test('the sign-in page in Swedish and the configuration-mistake page have no axe-core violations', async ({ browser, page }) => {
  const swedish = await browser.newContext({ locale: 'sv-SE' });
  const sv = await swedish.newPage();
  await sv.goto('/');
  await expect(sv.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await sv.getByRole('button', { name: 'Logga in' }).click();
  await expect(sv.getByRole('alert')).not.toBeEmpty();
  await expectNoAxeViolations(sv);
  await swedish.close();

  await page.route('**/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"languages": 3}' }));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'This portal is not set up correctly' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a refusal from the backend is worded by its code in the customer\'s language, never in the backend\'s English', async ({ page, customer }) => {
  await signIn(page, customer);
  await page.getByLabel('Language').selectOption({ label: 'Svenska' });
  await expect(page.getByRole('heading', { name: 'Din profil' })).toBeVisible();
  const english = 'phone: the backend says this in English';
  await page.route('**/api/me/profile', (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 422, json: { error: { code: 'not_a_phone', message: english, field: 'phone' } } })
      : route.continue(),
  );
  await page.getByLabel('Namn', { exact: true }).fill('Astrid Svensson');
  await page.getByRole('button', { name: 'Spara ändringar' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Det här ser inte ut som ett telefonnummer.');
  await expect(alert).not.toContainText(english);

  // A code this portal does not know is named, still in Swedish.
  await page.unroute('**/api/me/profile');
  await page.route('**/api/me/profile', (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 422, json: { error: { code: 'shoe_size_rule', message: english } } })
      : route.continue(),
  );
  await page.getByRole('button', { name: 'Spara ändringar' }).click();
  await expect(page.getByRole('alert')).toContainText('Servern godtog inte detta (referens: shoe_size_rule).');
  await expect(page.getByRole('alert')).not.toContainText(english);
});
