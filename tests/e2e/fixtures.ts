// Page helpers that act as a customer does: by roles and labels, never by CSS classes.
import { test as base, expect, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO = { email: 'demo@rapport.example', password: 'demo' };

export async function signIn(page: Page, path = '/profile') {
  await page.goto(path);
  await page.getByLabel('E-mail address').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (path === '/profile') {
    await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
    await expect(page.getByLabel('Name', { exact: true })).not.toHaveValue('');
  } else {
    await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();
  }
}

/** Signs in the demo privacy officer through the API. */
export async function officerToken(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/session', { data: { email: 'officer@rapport.example', password: 'officer' } });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).token;
}

/** Signs in through the API, as another device or the call centre would. */
export async function apiToken(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/session', { data: DEMO });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).token;
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, 'axe-core violations').toEqual([]);
}

/** Fails the test on any Content-Security-Policy violation or uncaught page error. */
export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) {
          problems.push(`CSP: ${message.text()}`);
        }
      });
      await use();
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
