// Every section is its own wasm module, fetched when first shown (src/routes.rs). Each is
// tested three ways: loaded directly by its address, reached through the navigation, and with
// its module failing to download, which must say so in the customer's language (never a blank
// page) and recover once the network is back.
import type { Page } from '@playwright/test';
import { test, expect, addAccount, type Account } from './fixtures';

type Section = { path: string; module: string; link: string; heading: string; officer?: boolean };

const sections: Section[] = [
  { path: '/profile', module: 'profile', link: 'Profile', heading: 'Your profile' },
  { path: '/preferences', module: 'preferences', link: 'Preferences', heading: 'Your preferences' },
  { path: '/privacy', module: 'privacy', link: 'Privacy', heading: 'Your privacy' },
  { path: '/history', module: 'history', link: 'History', heading: 'Your history' },
  { path: '/design', module: 'design', link: 'Design your own', heading: 'Design your own' },
  { path: '/audit', module: 'audit', link: 'Audit', heading: 'Consent audit', officer: true },
];

/** Signs in on the page at `path` (the sign-in form shows there first). */
async function signInAt(page: Page, account: Account, path: string) {
  await page.goto(path);
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The wasm module of one section, whatever its content hash. */
const moduleOf = (name: string) => new RegExp(`/split_${name}-[0-9a-f]+\\.wasm$`);

const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 1 });

for (const section of sections) {
  test.describe(`${section.path}`, () => {
    const account = (customer: Account) => (section.officer ? addAccount({ officer: true }) : customer);

    test('loads directly by its address', async ({ page, customer }) => {
      const fetched: string[] = [];
      page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
      await signInAt(page, account(customer), section.path);
      await expect(heading(page, section.heading)).toBeVisible();
      expect(fetched.some((p) => moduleOf(section.module).test(p)), `split_${section.module} fetched`).toBeTruthy();
    });

    test('is reached through the navigation', async ({ page, customer }) => {
      // Start on another section, so this one's module is fetched on the click.
      const start = section.officer ? '/' : section.path === '/privacy' ? '/history' : '/privacy';
      await signInAt(page, account(customer), start);
      await expect(page.getByRole('navigation')).toBeVisible();
      if (start !== section.path) {
        await page.getByRole('navigation').getByRole('link', { name: section.link }).click();
      }
      await expect(heading(page, section.heading)).toBeVisible();
      await expect(page.getByRole('navigation').getByRole('link', { name: section.link })).toHaveAttribute('aria-current', 'page');
    });

    test('says so when its module cannot be downloaded, and recovers', async ({ page, customer }) => {
      await page.route(moduleOf(section.module), (route) => route.abort('internetdisconnected'));
      await signInAt(page, account(customer), section.path);
      await expect(heading(page, 'This page could not be loaded')).toBeVisible();
      await expect(page.getByRole('alert')).toHaveText('Part of the portal could not be downloaded. Check your connection and try again.');
      // The rest of the portal still works: the navigation and signing out are there.
      await expect(page.getByRole('navigation')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

      await page.unroute(moduleOf(section.module));
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(heading(page, section.heading)).toBeVisible();
    });
  });
}

test('a module that cannot be downloaded is explained in Swedish too', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const customer = addAccount();
  await page.route(moduleOf('privacy'), (route) => route.abort('internetdisconnected'));
  await page.goto('/privacy');
  await page.getByLabel('E-postadress').fill(customer.email);
  await page.getByLabel('Lösenord').fill(customer.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(heading(page, 'Sidan kunde inte laddas')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('En del av portalen kunde inte hämtas. Kontrollera din anslutning och försök igen.');
  await expect(page.getByRole('button', { name: 'Försök igen' })).toBeVisible();
  await context.close();
});
