// "Design your own" end to end: the configurator's live price and explained rules, saved
// designs kept across reloads, an order that appears in History, a price the business changed
// since the customer saw it, both languages, the keyboard, axe-core and a phone's width.
import type { APIRequestContext, Page, Route } from '@playwright/test';
import { test, expect, apiToken, addAccount, expectNoAxeViolations, type Account } from './fixtures';

/** Signs in on `/design` (the sign-in form shows there first) and waits for the page. */
async function openDesigner(page: Page, account: Account, path = '/design') {
  await page.goto(path);
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Design your own', level: 1 })).toBeVisible();
  await expect(page.getByRole('radio', { name: /Fika box/ })).toBeVisible();
}

/** An amount as the page formats it: the browser's own Intl, in the page's language. */
async function money(page: Page, minor: number, locale = 'en-GB') {
  return page.evaluate(([m, l]) => new Intl.NumberFormat(l as string, { style: 'currency', currency: 'SEK' }).format((m as number) / 100), [minor, locale] as const);
}

const total = (page: Page) => page.locator('#design-total');
const saved = (page: Page) => expect(page.getByRole('status').filter({ hasText: /Your changes are saved|You have unsaved/ })).toHaveText('Your changes are saved.');
const myDesign = (page: Page, name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, level: 3, exact: true }) });

/** The customer's stored designs, through the API. */
async function storedDesigns(request: APIRequestContext, customer: Account) {
  const headers = { authorization: `Bearer ${await apiToken(request, customer)}` };
  return (await (await request.get('/api/me/designs', { headers })).json()).data.designs;
}

test('configure, save, reload, change and order: the order is in History as a request', async ({ page, request, customer }) => {
  await openDesigner(page, customer);
  // The first model and its default coffee, priced live.
  await expect(page.getByRole('radio', { name: /Fika box/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /Dark roast 450 g/ })).toBeChecked();
  await expect(total(page)).toHaveText(`Total: ${await money(page, 29900)}`);
  await expect(total(page)).toHaveAttribute('aria-live', 'polite');

  await page.getByRole('checkbox', { name: /Stoneware mug/ }).check();
  await expect(total(page)).toHaveText(`Total: ${await money(page, 29900 + 14900)}`);
  await page.getByLabel('How many: Stoneware mug').fill('2');
  await page.getByLabel('How many: Stoneware mug').press('Tab');
  await page.getByRole('checkbox', { name: /Name engraved on the mugs/ }).check();
  await expect(total(page)).toHaveText(`Total: ${await money(page, 29900 + 2 * 14900 + 9900)}`);

  await page.getByLabel('Name your design').fill('Weekend box');
  await page.getByRole('button', { name: 'Save as a new design' }).click();
  await saved(page);
  await expect(page.getByText('You are changing “Weekend box”.')).toBeVisible();
  let stored = await storedDesigns(request, customer);
  expect(stored).toHaveLength(1);
  expect(stored[0].spec).toEqual({ model: 'fika-box', options: { 'dark-roast': 1, mug: 2, engraving: 1 } });
  expect(stored[0].seen.total_minor).toBe(29900 + 2 * 14900 + 9900);

  // A reload keeps the saved design, open (its id is in the address).
  await page.reload();
  await expect(myDesign(page, 'Weekend box')).toBeVisible();
  await expect(page.getByText('You are changing “Weekend box”.')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Name engraved on the mugs/ })).toBeChecked();

  // A change not yet saved survives a reload too, as a draft.
  await page.getByRole('checkbox', { name: /Cinnamon buns, 6-pack/ }).check();
  const withBuns = 29900 + 2 * 14900 + 9900 + 4900;
  await expect(total(page)).toHaveText(`Total: ${await money(page, withBuns)}`);
  page.once('dialog', (dialog) => dialog.accept());
  await page.reload();
  await expect(page.getByText('We put back changes you had not saved yet.')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Cinnamon buns, 6-pack/ })).toBeChecked();
  await expect(total(page)).toHaveText(`Total: ${await money(page, withBuns)}`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await saved(page);
  stored = await storedDesigns(request, customer);
  expect(stored[0].spec.options.buns).toBe(1);
  expect(stored[0].seen.total_minor).toBe(withBuns);

  await page.getByRole('button', { name: 'Order now' }).click();
  const receipt = page.getByRole('status').filter({ hasText: 'We have received your order request' });
  await expect(receipt).toContainText('“Weekend box”');
  await expect(receipt).toContainText('It appears in your History as a request');
  const reference = (await receipt.innerText()).match(/order request (\S+) for/)?.[1];
  expect(reference).toBeTruthy();

  await page.getByRole('link', { name: 'See your history' }).click();
  await expect(page.getByRole('heading', { name: 'Your history', level: 1 })).toBeVisible();
  await expect(page.getByText(`Order request “Weekend box” (${reference}), ${await money(page, withBuns)}: Received`)).toBeVisible();
});

test('a forbidden combination is explained, and the keyboard reaches the reason', async ({ page, customer }) => {
  await openDesigner(page, customer);
  const teapot = page.getByRole('checkbox', { name: /Glass teapot 1.2 l/ });
  const press = page.getByRole('checkbox', { name: /French press 1 l/ });
  const engraving = page.getByRole('checkbox', { name: /Name engraved on the mugs/ });

  // Needs another option first, with the business's reason.
  await expect(engraving).toHaveAttribute('aria-disabled', 'true');
  await expect(engraving).toHaveAccessibleDescription(
    'Needs Stoneware mug — choose it first. We engrave the mugs, so the box needs mugs.');
  // Only with another model.
  await expect(page.getByRole('radio', { name: /Electric grinder/ })).toHaveAccessibleDescription(
    'Only with Home barista kit. Only the Home barista kit has room for the electric grinder.');

  // By keyboard: choose the French press, then Tab to the teapot, which stays focusable.
  await press.focus();
  await page.keyboard.press('Space');
  await expect(press).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(teapot).toBeFocused();
  await expect(teapot).toHaveAttribute('aria-disabled', 'true');
  await expect(teapot).not.toHaveAttribute('disabled', /.*/);
  await expect(teapot).toHaveAccessibleDescription(
    'Cannot be combined with French press 1 l — remove it to choose this. One brewer per box: the teapot or the French press.');
  const before = await total(page).innerText();
  await page.keyboard.press('Space');
  await expect(teapot).not.toBeChecked();
  await expect(total(page)).toHaveText(before);

  // Removing what another choice needs takes that one with it, and says so.
  await page.getByRole('checkbox', { name: /Stoneware mug/ }).check();
  await engraving.check();
  await page.getByRole('checkbox', { name: /Stoneware mug/ }).uncheck();
  await expect(engraving).not.toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'Also taken out' })).toHaveText(
    'Also taken out: Name engraved on the mugs. It no longer fits what you chose.');

  // A model that does not have a chosen option takes it away too.
  await page.getByRole('radio', { name: /Home barista kit/ }).check();
  await page.getByRole('radio', { name: /Electric grinder/ }).check();
  await expect(total(page)).toHaveText(`Total: ${await money(page, 129900 + 129900 + 39900)}`);
  await page.getByRole('radio', { name: /Fika box/ }).check();
  await expect(page.getByRole('radio', { name: /Electric grinder/ })).not.toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'Also taken out' })).toHaveText(
    'Also taken out: Electric grinder. It no longer fits what you chose.');
  await expectNoAxeViolations(page);
});

test('a price the business changed since the design was saved: the server refuses the old one, the page explains and waits for confirmation', async ({ page, request, customer }) => {
  // What is simulated: the business raised the mug's price after this browser had loaded
  // its catalogue. The server prices orders with its own configuration file (the real one,
  // mug at SEK 149), so the first config.json this page fetches is served with the mug at
  // SEK 129 (the catalogue as it was) until the order is sent; later fetches get the real file.
  const real = await (await request.get('/config.json')).json();
  let stale = true;
  await page.route('**/config.json', async (route: Route) => {
    if (!stale) return route.continue();
    const old = structuredClone(real);
    old.catalogue.groups.find((g: { id: string }) => g.id === 'extras').options.find((o: { id: string }) => o.id === 'mug').price = { add: 12900 };
    await route.fulfill({ json: old });
  });
  await openDesigner(page, customer);
  await page.getByRole('checkbox', { name: /Stoneware mug/ }).check();
  const old = 29900 + 12900;
  const now = 29900 + 14900;
  await expect(total(page)).toHaveText(`Total: ${await money(page, old)}`);
  await page.getByLabel('Name your design').fill('Mug box');
  await page.getByRole('button', { name: 'Save as a new design' }).click();
  await saved(page);

  stale = false;
  await page.getByRole('button', { name: 'Order now' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The price changed' })).toHaveText(
    "The price changed before your order reached us, so nothing was ordered. We have loaded today's prices: see what changed, confirm, and order again.");
  const changed = page.getByRole('group', { name: 'The price has changed since you saw it' });
  await expect(changed).toContainText(`Stoneware mug: ${await money(page, 12900)} → ${await money(page, 14900)}`);
  await expect(changed).toContainText(`Price you saw: ${await money(page, old)}`);
  await expect(changed).toContainText(`Price now: ${await money(page, now)}`);
  await expect(total(page)).toHaveText(`Total: ${await money(page, now)}`);
  const order = page.getByRole('button', { name: 'Order now' });
  await expect(order).toHaveAttribute('aria-disabled', 'true');
  await expect(order).toHaveAccessibleDescription('Confirm that you have seen the new price before ordering.');
  // Still focusable and pressable (Playwright will not click what is aria-disabled): nothing is sent.
  await order.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'We have received' })).toHaveCount(0);

  await changed.getByRole('button', { name: 'I have seen the new price' }).click();
  await expect(changed).toHaveCount(0);
  await expect(order).not.toHaveAttribute('aria-disabled', 'true');
  await order.click();
  await expect(page.getByRole('status').filter({ hasText: 'We have received your order request' })).toContainText(await money(page, now));
  // The confirmed price is kept with the design once saved.
  await page.getByRole('button', { name: 'Save changes' }).click();
  await saved(page);
  expect((await storedDesigns(request, customer))[0].seen.total_minor).toBe(now);
});

test('an option the business no longer offers: the saved design lists it as a problem, and ordering waits until it is removed', async ({ page, request, customer }) => {
  // What is simulated: when this design was saved the catalogue also had oat milk; the
  // business has since dropped it (the real config.json, which the server prices with).
  const real = await (await request.get('/config.json')).json();
  let old = true;
  await page.route('**/config.json', async (route: Route) => {
    if (!old) return route.continue();
    const before = structuredClone(real);
    before.catalogue.groups.find((g: { id: string }) => g.id === 'extras').options.push(
      { id: 'oat-milk', name: { en: 'Oat milk 1 l', sv: 'Havredryck 1 l' }, price: { add: 3000 } });
    await route.fulfill({ json: before });
  });
  await openDesigner(page, customer);
  await page.getByRole('checkbox', { name: /Oat milk 1 l/ }).check();
  await page.getByLabel('Name your design').fill('Oat box');
  await page.getByRole('button', { name: 'Save as a new design' }).click();
  await saved(page);

  old = false;
  await page.reload();
  await expect(page.getByText('You are changing “Oat box”.')).toBeVisible();
  const problems = page.locator('#design-problems');
  await expect(problems.getByRole('heading', { name: 'Before you can order' })).toBeVisible();
  await expect(problems).toContainText('Oat milk 1 l is no longer offered.');
  await expect(page.getByRole('group', { name: 'The price has changed since you saw it' })).toContainText(
    `Oat milk 1 l is no longer offered (it was ${await money(page, 3000)})`);
  const order = page.getByRole('button', { name: 'Order now' });
  await expect(order).toHaveAttribute('aria-disabled', 'true');

  await problems.getByRole('button', { name: 'Remove Oat milk 1 l' }).click();
  await expect(problems).toHaveCount(0);
  await page.getByRole('button', { name: 'I have seen the new price' }).click();
  await expect(order).not.toHaveAttribute('aria-disabled', 'true');
  await expect(total(page)).toHaveText(`Total: ${await money(page, 29900)}`);
});

test('duplicate, rename and delete in My designs, saved as one document', async ({ page, request, customer }) => {
  await openDesigner(page, customer);
  await page.getByLabel('Name your design').fill('Morning');
  await page.getByRole('button', { name: 'Save as a new design' }).click();
  await saved(page);

  await myDesign(page, 'Morning').getByRole('button', { name: 'Duplicate' }).click();
  const copy = myDesign(page, 'Copy of Morning');
  await expect(copy).toBeVisible();
  await copy.getByRole('button', { name: 'Rename' }).click();
  await expect(copy.getByLabel('New name')).toBeFocused();
  await copy.getByLabel('New name').fill('Evening');
  // The name changes as it is typed.
  await expect(myDesign(page, 'Evening')).toBeVisible();
  await myDesign(page, 'Evening').getByLabel('New name').press('Enter');
  await expect(myDesign(page, 'Evening').getByLabel('New name')).toHaveCount(0);
  await myDesign(page, 'Morning').getByRole('button', { name: 'Delete' }).click();
  await expect(myDesign(page, 'Morning')).toHaveCount(0);
  await page.getByText(/Review your changes/).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await saved(page);
  const stored = await storedDesigns(request, customer);
  expect(stored.map((d: { name: string }) => d.name)).toEqual(['Evening']);

  await myDesign(page, 'Evening').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByText('You are changing “Evening”.')).toBeVisible();
  await page.getByRole('button', { name: 'Start a new design' }).click();
  await expect(page.getByLabel('Name your design')).toBeVisible();
});

test('in Swedish, on a phone: words, prices and reasons, and axe-core finds nothing', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const customer = addAccount();
  await page.goto('/design');
  await page.getByLabel('E-postadress').fill(customer.email);
  await page.getByLabel('Lösenord').fill(customer.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: 'Designa själv', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Designa själv' })).toHaveAttribute('aria-current', 'page');
  await expect(total(page)).toHaveText(`Totalt: ${await money(page, 29900, 'sv-SE')}`);
  await page.getByRole('checkbox', { name: /Pressobryggare 1 l/ }).check();
  await expect(page.getByRole('checkbox', { name: /Tekanna i glas/ })).toHaveAccessibleDescription(
    'Kan inte kombineras med Pressobryggare 1 l – ta bort det för att välja detta. En bryggare per låda: tekannan eller pressobryggaren.');
  await expect(page.getByRole('radio', { name: /Trälåda/ })).toHaveAccessibleDescription(/^Bara med Presentlåda\./);
  await expect(total(page)).toHaveText(`Totalt: ${await money(page, 29900 + 39900, 'sv-SE')}`);
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoAxeViolations(page);
  await context.close();
});

test('axe-core finds nothing on the page in English, with a design saved', async ({ page, customer }) => {
  await openDesigner(page, customer);
  await page.getByLabel('Name your design').fill('Plain');
  await page.getByRole('button', { name: 'Save as a new design' }).click();
  await saved(page);
  await expectNoAxeViolations(page);
});

test('a business without a catalogue has no configurator: no link, and the page says so', async ({ page, request, customer }) => {
  // What is simulated: the business's configuration has no catalogue.
  const real = await (await request.get('/config.json')).json();
  delete real.catalogue;
  await page.route('**/config.json', (route) => route.fulfill({ json: real }));
  await page.goto('/design');
  await page.getByLabel('E-mail address').fill(customer.email);
  await page.getByLabel('Password').fill(customer.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('There is nothing to design here: this business offers no products to put together.')).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'History' })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Design your own' })).toHaveCount(0);
});
