// Page helpers that act as a customer does: by roles and labels, never by CSS classes.
// Every test that signs in gets a customer of its own (the `customer` fixture), created in
// the test server's database by `rapport-server add-account`: no test depends on another's
// data or on running order.
import { test as base, expect, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { serverBinary, testDatabase } from './playwright.config';

export type Account = { email: string; password: string };

/** The demo privacy officer a new database starts with. */
const DEMO_OFFICER: Account = { email: 'officer@rapport.example', password: 'officer' };

/**
 * A new account in the test server's database, through the server's own command
 * (`rapport-server --db DB add-account --email E [--officer]`, the password in
 * `RAPPORT_PASSWORD`), with `history` generated events (`seed-history`, seed 42).
 * A server without `add-account` (before it existed) creates customers by `seed-history`
 * and has only the demo officer.
 */
export function addAccount({ officer = false, history = 0 } = {}): Account {
  const email = `${officer ? 'officer' : 'customer'}-${randomUUID()}@e2e.example`;
  const password = randomUUID();
  const run = (args: string[]) =>
    execFileSync(serverBinary, ['--db', testDatabase, ...args], {
      env: { ...process.env, RAPPORT_PASSWORD: password },
      stdio: 'pipe',
    });
  try {
    run(['add-account', '--email', email, ...(officer ? ['--officer'] : [])]);
  } catch (error) {
    if (!/unrecognized subcommand/.test(String((error as { stderr?: Buffer }).stderr))) throw error;
    if (officer) return DEMO_OFFICER;
    run(['seed-history', '--email', email, '--password', password, '--events', '0']);
  }
  if (history > 0) run(['seed-history', '--email', email, '--events', String(history), '--seed', '42']);
  return { email, password };
}

/** A new customer with a name on their profile (as signing up would leave them). */
export async function newCustomer(request: APIRequestContext, options: { history?: number } = {}): Promise<Account> {
  const account = addAccount(options);
  const headers = { authorization: `Bearer ${await apiToken(request, account)}` };
  const current = await request.get('/api/me/profile', { headers });
  expect(current.ok()).toBeTruthy();
  const data = { ...(await current.json()).data, name: 'Test Customer' };
  const put = await request.put('/api/me/profile', { headers: { ...headers, 'if-match': current.headers()['etag'] }, data });
  expect(put.status()).toBe(200);
  return account;
}

export async function signIn(page: Page, account: Account, path = '/profile') {
  await page.goto(path);
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (path === '/profile') {
    await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
    await expect(page.getByLabel('Name', { exact: true })).not.toHaveValue('');
  } else if (path === '/') {
    await expect(page.getByRole('heading', { level: 1, name: /^Welcome/ })).toBeVisible();
  } else {
    await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();
  }
}

/** Signs a new privacy officer in through the API. */
export async function officerToken(request: APIRequestContext): Promise<string> {
  return apiToken(request, addAccount({ officer: true }));
}

/** Signs in through the API, as another device or the call centre would. */
export async function apiToken(request: APIRequestContext, account: Account): Promise<string> {
  const response = await request.post('/api/session', { data: account });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).token;
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, 'axe-core violations').toEqual([]);
}

/** Fails the test on any Content-Security-Policy violation or uncaught page error. */
export const test = base.extend<{ cspGuard: void; customer: Account }>({
  /** A customer of this test's own, with a name and no history. */
  customer: async ({ request }, use) => {
    await use(await newCustomer(request));
  },
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
