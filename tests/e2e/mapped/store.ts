// The real store the portal is mapped onto (scripts/e2e-stores.sh started it): new customers
// made the way the store's own administrator makes them, the record as the store keeps it,
// and the store itself stopped, started, paused and resumed, for the failure tests.
import { test as base, expect, type Page, type APIRequestContext } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through scripts/e2e-stores.sh`);
  return value;
};

export const STORE = env('RAPPORT_STORE') as 'kinto' | 'pocketbase';
export const STORE_URL = env('RAPPORT_STORE_URL');

/** A customer of the store: what they type on the sign-in form, and their id there. */
export type StoreAccount = { username: string; password: string; id: string };
export type Doc = 'profile' | 'preferences';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function pocketbaseAdmin(request: APIRequestContext): Promise<string> {
  const answer = await request.post(`${STORE_URL}/api/collections/_superusers/auth-with-password`, {
    data: { identity: env('RAPPORT_STORE_ADMIN'), password: env('RAPPORT_STORE_ADMIN_PASSWORD') },
  });
  expect(answer.ok()).toBeTruthy();
  return (await answer.json()).token;
}

/** A new customer in the store, with nothing stored for them yet. */
export async function newStoreAccount(request: APIRequestContext): Promise<StoreAccount> {
  const password = `Pw-${randomUUID()}`;
  if (STORE === 'kinto') {
    // Kinto account ids are names, not e-mail addresses (as in scripts/conformance/seed.py).
    const username = `e2e-${randomUUID().slice(0, 13)}`;
    const answer = await request.put(`${STORE_URL}/accounts/${username}`, { data: { data: { password } } });
    expect(answer.status(), await answer.text()).toBe(201);
    return { username, password, id: username };
  }
  const username = `e2e-${randomUUID()}@e2e.example`;
  const answer = await request.post(`${STORE_URL}/api/collections/users/records`, {
    headers: { authorization: await pocketbaseAdmin(request) },
    data: { email: username, password, passwordConfirm: password, verified: true },
  });
  expect(answer.ok(), await answer.text()).toBeTruthy();
  return { username, password, id: (await answer.json()).id };
}

/** The customer's document as the store holds it (null when none is stored). */
export async function stored(request: APIRequestContext, account: StoreAccount, doc: Doc): Promise<Record<string, any> | null> {
  if (STORE === 'kinto') {
    const answer = await request.get(`${STORE_URL}/buckets/default/collections/${doc}/records/${doc}`, {
      headers: { authorization: basic(account.username, account.password) },
    });
    if (answer.status() === 404 || answer.status() === 403) return null;
    expect(answer.ok()).toBeTruthy();
    return (await answer.json()).data;
  }
  const collection = doc === 'profile' ? 'profiles' : 'preferences';
  const answer = await request.get(`${STORE_URL}/api/collections/${collection}/records/${account.id}`, {
    headers: { authorization: await pocketbaseAdmin(request) },
  });
  if (answer.status() === 404) return null;
  expect(answer.ok()).toBeTruthy();
  return (await answer.json()).document;
}

/**
 * Changes the customer's password in the store, as the customer would on another device or
 * the business's support would: the store then refuses the credential the portal holds
 * (Kinto's Basic credential; PocketBase's token, whose key changes with the password).
 */
export async function changePassword(request: APIRequestContext, account: StoreAccount): Promise<StoreAccount> {
  const password = `Pw-${randomUUID()}`;
  if (STORE === 'kinto') {
    const answer = await request.patch(`${STORE_URL}/accounts/${account.username}`, {
      headers: { authorization: basic(account.username, account.password) },
      data: { data: { password } },
    });
    expect(answer.ok(), await answer.text()).toBeTruthy();
  } else {
    const answer = await request.patch(`${STORE_URL}/api/collections/users/records/${account.id}`, {
      headers: { authorization: await pocketbaseAdmin(request) },
      data: { password, passwordConfirm: password },
    });
    expect(answer.ok(), await answer.text()).toBeTruthy();
  }
  return { ...account, password };
}

const serveScript = () => env('RAPPORT_STORE_SERVE');
const storePid = () => Number(readFileSync(`${serveScript()}.pid`, 'utf8').trim());

async function answers(): Promise<boolean> {
  try {
    await fetch(env('RAPPORT_STORE_HEALTH'), { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** Stops the store's server (the process really ends; its data stays). */
export async function storeDown() {
  process.kill(storePid(), 'SIGTERM');
  await expect.poll(answers, { timeout: 20_000 }).toBe(false);
}

/** Starts the store's server again, as it was, and waits until it answers. */
export async function storeUp() {
  spawn(serveScript(), [], { detached: true, stdio: 'ignore' }).unref();
  await expect.poll(answers, { timeout: 40_000, intervals: [250] }).toBe(true);
}

/** Freezes the store's server: connections are accepted, nothing is ever answered. */
export function storePause() {
  process.kill(storePid(), 'SIGSTOP');
}

export function storeResume() {
  process.kill(storePid(), 'SIGCONT');
}

/** Signs in on the portal's own form and waits for the page at `path`. */
export async function signIn(page: Page, account: StoreAccount, path: '/profile' | '/preferences' = '/profile') {
  await page.goto(path);
  await page.getByLabel('E-mail address').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: path === '/profile' ? 'Your profile' : 'Your preferences' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();
}

export const save = (page: Page) => page.getByRole('button', { name: 'Save changes' }).click();
export const saved = (page: Page) => expect(page.getByRole('status').last()).toHaveText('Your changes are saved.');

/** Fails the test on any Content-Security-Policy violation or uncaught page error. */
export const test = base.extend<{ cspGuard: void; account: StoreAccount }>({
  /** A customer of this test's own, new in the store. */
  account: async ({ request }, use) => {
    await use(await newStoreAccount(request));
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
