// The Profile page end to end: what a customer does, and what happens when things go wrong.
import { test, expect, signIn, apiToken, expectNoAxeViolations } from './fixtures';

test('an edited profile is saved and survives a reload', async ({ page }) => {
  await signIn(page);
  const name = `Astrid ${Date.now()}`;
  await page.getByLabel('Name').fill(name);
  await expect(page.getByRole('status')).toHaveText('You have unsaved changes.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
  await page.reload();
  await expect(page.getByLabel('Name')).toHaveValue(name);
});

test('mistakes are explained while typing and block the save', async ({ page }) => {
  await signIn(page);
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

test('a backend answering 500 shows a message and keeps the edit', async ({ page }) => {
  await signIn(page);
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
  await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
});

test('a lost connection shows a message and keeps the edit', async ({ page }) => {
  await signIn(page);
  await page.route('**/api/me/profile', (route) =>
    route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue(),
  );
  await page.getByLabel('Name').fill('Offline Edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('We could not reach the server.');
  await expect(page.getByLabel('Name')).toHaveValue('Offline Edit');
});

test('a save against a newer version shows the conflict and overwrites nothing', async ({ page, request }) => {
  await signIn(page);
  // Meanwhile, the call centre changes the name through the API.
  const token = await apiToken(request);
  const headers = { authorization: `Bearer ${token}` };
  const current = await request.get('/api/me/profile', { headers });
  const elsewhere = { ...(await current.json()).data, name: `Call centre ${Date.now()}` };
  const put = await request.put('/api/me/profile', {
    headers: { ...headers, 'if-match': current.headers()['etag'] },
    data: elsewhere,
  });
  expect(put.status()).toBe(200);

  await page.getByLabel('Name').fill('My own edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Your profile was changed somewhere else' });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText(`Name: saved elsewhere “${elsewhere.name}”, yours “My own edit”`);
  await expect(page.getByLabel('Name')).toHaveValue('My own edit');
  const untouched = await (await request.get('/api/me/profile', { headers })).json();
  expect(untouched.data.name).toBe(elsewhere.name);

  await page.getByRole('button', { name: 'Save my version' }).click();
  await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
  const after = await (await request.get('/api/me/profile', { headers })).json();
  expect(after.data.name).toBe('My own edit');
});

test('the other side of a conflict can be taken instead', async ({ page, request }) => {
  await signIn(page);
  const token = await apiToken(request);
  const headers = { authorization: `Bearer ${token}` };
  const current = await request.get('/api/me/profile', { headers });
  const elsewhere = { ...(await current.json()).data, phone: '+46 31 700 00 00' };
  await request.put('/api/me/profile', { headers: { ...headers, 'if-match': current.headers()['etag'] }, data: elsewhere });

  await page.getByLabel('Phone number').fill('+46 40 100 00 00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('button', { name: 'Use the saved version' }).click();
  await expect(page.getByLabel('Phone number')).toHaveValue('+46 31 700 00 00');
  await expect(page.getByRole('status')).toHaveText('');
});

test('the portal speaks Swedish by switch, remembers it, and follows the browser', async ({ page, browser }) => {
  await signIn(page);
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

test('the profile and sign-in pages have no axe-core violations in English', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page);
  await signIn(page);
  await page.getByLabel('E-mail address').fill('broken');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
});

test('everything is reachable by keyboard: skip link, navigation, form, save', async ({ page }) => {
  await signIn(page);
  await page.reload();
  await expect(page.getByLabel('Name')).not.toHaveValue('');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Name')).toBeFocused();
  await page.keyboard.type(' K');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  // The radio group is one tab stop; arrows move within it.
  const before = await page.locator('input[name="preferred_contact"]:checked').getAttribute('id');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('input[name="preferred_contact"]:checked')).not.toHaveAttribute('id', before!);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
});

test('sections not built yet say so plainly', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await expect(page.getByText('This page is not built yet.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'History' })).toHaveAttribute('aria-current', 'page');
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
