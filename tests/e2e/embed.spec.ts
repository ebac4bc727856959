// The portal embedded in a business's own pages (tests/e2e/hosts/, served on a second origin
// by hosts/serve.mjs): isolation both ways, the host's sign-in hand-off, the events the host
// hears, keyboard and axe inside the shadow root, in English and Swedish, light and dark.
// The CSP guard in fixtures.ts fails any test that meets a violation: strict-csp.html is sent
// with the policy README.md documents for hosts.
import { test, expect, type Account } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { HOST_ORIGIN, PORTAL_ORIGIN } from './hosts/ports';

type Host = 'hostile' | 'strict' | 'plain';
type HostEvent = { type: string; detail: Record<string, unknown>; target: string };

/** Signs in through the portal's API, as the host's own sign-in would. */
async function portalSession(request: APIRequestContext, account: Account) {
  const response = await request.post(`${PORTAL_ORIGIN}/api/session`, { data: account });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** The welcome page's heading, where a signed-in customer lands. */
const WELCOME = /^(Welcome|Välkommen), /;

/**
 * Opens a host page whose script hands the session to the portal (`element.signIn`), at the
 * portal's landing (the welcome page) or, with `at = 'profile'`, at the profile form.
 */
async function openSignedIn(page: Page, request: APIRequestContext, account: Account, host: Host, query = '', at: '' | 'profile' = '') {
  const session = await portalSession(request, account);
  await page.addInitScript((s) => { (window as unknown as { rapportHandOff: unknown }).rapportHandOff = s; }, session);
  await page.goto(`${HOST_ORIGIN}/${host}/${at}${query}`);
  if (at === 'profile') {
    await expect(page.getByRole('heading', { name: /^(Your profile|Din profil)$/ })).toBeVisible();
    await expect(page.getByLabel(/^(Name|Namn)$/)).not.toHaveValue('');
  } else {
    await expect(page.getByRole('heading', { level: 1, name: WELCOME })).toBeVisible();
  }
}

async function hostEvents(page: Page, type?: string): Promise<HostEvent[]> {
  const all: HostEvent[] = await page.evaluate(() => (window as unknown as { hostEvents: HostEvent[] }).hostEvents);
  return all.filter((e) => (type ? e.type === type : e.type !== 'rapport-height'));
}

/** The element inside the portal's shadow root (or the page) that has keyboard focus. */
async function focused(page: Page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    const inPortal = active?.getRootNode() instanceof ShadowRoot;
    return { inPortal, tag: active?.localName, text: (active?.textContent ?? '').trim(), label: active?.getAttribute('aria-label') ?? active?.id ?? '' };
  });
}

const PROPS = [
  'font-family', 'font-size', 'font-weight', 'font-style', 'color', 'background-color', 'line-height',
  'letter-spacing', 'text-transform', 'text-decoration-line', 'border-top-width', 'border-top-style',
  'border-top-color', 'border-radius', 'padding-top', 'padding-left', 'margin-top', 'box-sizing', 'height',
];

/** Computed styles of the portal's own heading, button, input, link and text. */
function portalStyles(page: Page) {
  return page.locator('rapport-portal').evaluate((host, props) => {
    const root = host.shadowRoot!;
    const pick = (selector: string) => {
      const el = root.querySelector(selector);
      if (!el) throw new Error(`no ${selector} in the portal`);
      const style = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    };
    return {
      h1: pick('h1'),
      button: pick('button.save'),
      input: pick('input[type="text"]'),
      link: pick('nav a'),
      text: pick('.rapport'),
      brand: pick('.brand'),
    };
  }, PROPS);
}

/** Computed styles of the host page's own heading, button, input, link and body. */
function hostStyles(page: Page) {
  return page.evaluate((props) => {
    const pick = (selector: string) => {
      const style = getComputedStyle(document.querySelector(selector)!);
      return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    };
    return {
      h1: pick('#host-title'),
      button: pick('#host-button'),
      input: pick('#host-search'),
      link: pick('#host-link'),
      // (its height is the content's, the portal's included)
      body: { ...pick('body'), height: '' },
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
    };
  }, PROPS);
}

test('the host page\'s CSS does not reach the portal, and the portal\'s does not reach the page', async ({ page, request, customer }) => {
  await openSignedIn(page, request, customer, 'plain', '', 'profile');
  const calm = await portalStyles(page);

  await page.goto(`${HOST_ORIGIN}/hostile/profile`);
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  const hostile = await portalStyles(page);
  expect(hostile).toEqual(calm);
  // Not vacuous: the hostile rules are in force on the page's own elements.
  const withPortal = await hostStyles(page);
  expect(withPortal.h1.color).toBe('rgb(208, 0, 0)');
  expect(withPortal.button['background-color']).toBe('rgb(255, 0, 170)');
  expect(withPortal.input['border-top-color']).toBe('rgb(0, 255, 0)');
  expect(calm.button['background-color']).toBe('rgb(11, 93, 75)');

  // The same page without the portal styles its own elements exactly the same.
  await page.goto(`${HOST_ORIGIN}/hostile/?portal=0`);
  await expect(page.locator('#host-title')).toBeVisible();
  expect(await hostStyles(page)).toEqual(withPortal);
  expect(withPortal.sheets).toBe(1);
  expect(withPortal.adopted).toBe(0);
});

test('the host hands over its session: no sign-in form, and the host hears every event', async ({ page, request, customer }) => {
  await openSignedIn(page, request, customer, 'strict');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  const [ready] = await hostEvents(page, 'rapport-ready');
  expect(ready.detail).toEqual({ signedIn: true, language: 'en', path: '/' });
  expect(ready.target).toBe('rapport-portal');
  await expect.poll(async () => (await hostEvents(page, 'rapport-height')).at(-1)?.detail.height).toBeGreaterThan(300);
  expect((await hostEvents(page, 'rapport-navigated'))[0].detail).toEqual({ path: '/' });

  // Navigation stays below the base path, on the host's own origin.
  await page.getByRole('link', { name: 'Preferences' }).click();
  await expect(page.getByRole('heading', { name: 'Your preferences' })).toBeVisible();
  expect(page.url()).toBe(`${HOST_ORIGIN}/strict/preferences`);
  await expect.poll(async () => (await hostEvents(page, 'rapport-navigated')).at(-1)?.detail).toEqual({ path: '/preferences' });

  // A save, told to the host; then put back as it was.
  await page.getByRole('link', { name: 'Profile' }).click();
  const name = page.getByLabel('Name', { exact: true });
  const before = await name.inputValue();
  await name.fill(`${before} Embedded`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  await expect.poll(async () => (await hostEvents(page, 'rapport-saved')).map((e) => e.detail)).toEqual([{ what: 'profile' }]);
  await name.fill(before);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(async () => (await hostEvents(page, 'rapport-saved')).length).toBe(2);

  // The host signs the customer out.
  await page.locator('rapport-portal').evaluate((el) => (el as HTMLElement & { signOut(): void }).signOut());
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect.poll(async () => (await hostEvents(page, 'rapport-signed-out')).length).toBe(1);
  // The session is really over on the backend, not only forgotten here.
  const stored = await page.evaluate(() => localStorage.getItem('rapport.session'));
  expect(stored).toBeNull();

  // The customer's own sign-out button is heard too.
  await page.locator('rapport-portal').evaluate(async (el, s) => (el as HTMLElement & { signIn(s: unknown): void }).signIn(s), await portalSession(request, customer));
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect.poll(async () => (await hostEvents(page, 'rapport-signed-out')).length).toBe(2);
  // The host page's own <html lang> and title are its own.
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Strict shop');
});

test('keyboard: from the host page into the portal, skip link, form and save', async ({ page, request, customer }) => {
  await openSignedIn(page, request, customer, 'hostile', '', 'profile');
  await page.locator('#host-button').focus();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ inPortal: true, tag: 'a', text: 'Skip to main content' });
  // Visible when focused, not clipped away.
  const box = await page.getByRole('link', { name: 'Skip to main content' }).boundingBox();
  expect(box!.width).toBeGreaterThan(20);
  await page.keyboard.press('Enter');
  expect(await focused(page)).toMatchObject({ inPortal: true, label: 'main' });

  const name = page.getByLabel('Name', { exact: true });
  const before = await name.inputValue();
  for (let i = 0; i < 10 && !(await name.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('End');
  await page.keyboard.type(' K');
  const save = page.getByRole('button', { name: 'Save changes' });
  for (let i = 0; i < 30 && !(await save.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');
  await expect.poll(async () => (await hostEvents(page, 'rapport-saved')).length).toBe(1);
  await name.fill(before);
  await save.click();
  await expect.poll(async () => (await hostEvents(page, 'rapport-saved')).length).toBe(2);
});

const HEADINGS = { en: { welcome: /^Welcome, /, signIn: 'Sign in' }, sv: { welcome: /^Välkommen, /, signIn: 'Logga in' } };
const BACKGROUNDS = { light: 'rgb(247, 247, 244)', dark: 'rgb(18, 20, 18)' };

for (const lang of ['en', 'sv'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe finds nothing inside the shadow root: ${lang}, ${theme}`, async ({ page, request, customer }) => {
      await openSignedIn(page, request, customer, 'strict', `?lang=${lang}&theme=${theme}`);
      await expect(page.getByRole('heading', { level: 1, name: HEADINGS[lang].welcome })).toBeVisible();
      const background = await page.locator('rapport-portal').evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.rapport')!).backgroundColor);
      expect(background).toBe(BACKGROUNDS[theme]);
      await expect(page.locator('rapport-portal').locator('.rapport')).toHaveAttribute('lang', lang);
      const axe = async () => {
        const results = await new AxeBuilder({ page }).include('rapport-portal').analyze();
        return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      };
      expect(await axe(), 'axe on the welcome page').toEqual([]);
      await page.getByRole('link', { name: lang === 'en' ? 'Preferences' : 'Önskemål' }).click();
      await expect(page.getByRole('heading', { name: lang === 'en' ? 'Your preferences' : 'Dina önskemål' })).toBeVisible();
      expect(await axe(), 'axe on preferences').toEqual([]);
      await page.locator('rapport-portal').evaluate((el) => (el as HTMLElement & { signOut(): void }).signOut());
      await expect(page.getByRole('heading', { name: HEADINGS[lang].signIn })).toBeVisible();
      expect(await axe(), 'axe on sign-in').toEqual([]);
    });
  }
}

test('theme: auto follows the reader\'s setting, the attribute forces one, host tokens win over config.json', async ({ browser, request, customer }) => {
  const context = await browser.newContext({ colorScheme: 'dark', locale: 'en-GB' });
  const page = await context.newPage();
  const background = () => page.locator('rapport-portal').evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.rapport')!).backgroundColor);
  await openSignedIn(page, request, customer, 'plain');
  expect(await background()).toBe(BACKGROUNDS.dark);
  await page.locator('rapport-portal').evaluate((el) => el.setAttribute('theme', 'light'));
  expect(await background()).toBe(BACKGROUNDS.light);

  // The business's own tokens, set on the element by the page's stylesheet, beat config.json's.
  await page.goto(`${HOST_ORIGIN}/hostile/profile?theme=light`);
  await page.addStyleTag({ content: 'rapport-portal { --rapport-accent: #6a1b9a; --rapport-background: #fdfbff; }' });
  const save = page.getByRole('button', { name: 'Save changes' });
  await expect(save).toHaveCSS('background-color', 'rgb(106, 27, 154)');
  expect(await background()).toBe('rgb(253, 251, 255)');
  expect(await new AxeBuilder({ page }).include('rapport-portal').withRules(['color-contrast']).analyze().then((r) => r.violations)).toEqual([]);

  // The language follows the element's lang attribute as the host changes it.
  await page.locator('rapport-portal').evaluate((el) => el.setAttribute('lang', 'sv'));
  await expect(page.getByRole('heading', { name: 'Din profil' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});

test('moving the element within the page keeps the portal as it is', async ({ page, request, customer }) => {
  await openSignedIn(page, request, customer, 'plain');
  // A host framework re-parenting the element: removed and inserted in the same task.
  await page.locator('rapport-portal').evaluate((el) => {
    const footer = document.querySelector('footer')!;
    footer.before(el);
  });
  await expect(page.getByRole('heading', { level: 1, name: WELCOME })).toHaveCount(1);
  expect(await hostEvents(page, 'rapport-ready')).toHaveLength(1);
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Your history', exact: true })).toBeVisible();
  await expect(page).toHaveURL(`${HOST_ORIGIN}/plain/history`);
});
