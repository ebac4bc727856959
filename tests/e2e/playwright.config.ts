// End-to-end tests: Debian's Chromium (no browser download is possible here) against the
// reference backend serving the release build in ../../dist over a throwaway database.
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOST_ORIGIN, HOST_PORT, PORTAL_PORT } from './hosts/ports';

const port = PORTAL_PORT;
const root = path.resolve(__dirname, '..', '..');
const server = process.env.RAPPORT_SERVER_BIN ?? path.join(root, 'target', 'release', 'rapport-server');
// Named once, in the runner's process: workers inherit it, and add their accounts to it.
process.env.RAPPORT_E2E_DB ??= path.join(os.tmpdir(), `rapport-e2e-${process.pid}.sqlite3`);
const db = process.env.RAPPORT_E2E_DB;
/** The server binary and database the tests' own accounts are created with (fixtures.ts). */
export const serverBinary = server;
export const testDatabase = db;
// Tests sign in and save from the one loopback address: far more than a person does, so the
// harness widens the sign-in and write quotas (the limits themselves are tested in
// crates/server/tests/abuse.rs).
/** A page load this long after the last counts as a new visit (the server's default is 30 minutes). */
export const NEW_VISIT_AFTER_SECONDS = 3;
const harnessLimits = '--sign-in-per-account 10000 --sign-in-per-client 10000 --writes-per-customer 10000';

export default defineConfig({
  testDir: '.',
  // The same pages against real mapped stores: playwright.mapped.config.ts (scripts/e2e-stores.sh).
  testIgnore: ['mapped/**'],
  // Each test has its own customer; one worker keeps timings steady on two shared cores.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-GB',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--no-first-run', '--disable-quic',
      ],
    },
  },
  webServer: [
    {
      // --allow-origin: the host pages below embed the portal from their own origin.
      command: `rm -f "${db}"* && "${server}" --addr 127.0.0.1:${port} --db "${db}" --dist "${path.join(root, 'dist')}" --ledger-key "${db}.key" --demo-data ${harnessLimits} --visit-gap-secs ${NEW_VISIT_AFTER_SECONDS} --allow-origin ${HOST_ORIGIN}`,
      url: `http://127.0.0.1:${port}/config.json`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The business's site on a second origin: hosts/*.html embedding the portal (embed.spec.ts).
      command: `node "${path.join(__dirname, 'hosts', 'serve.mjs')}"`,
      url: `${HOST_ORIGIN}/health`,
      env: { RAPPORT_E2E_PORT: String(port), RAPPORT_E2E_HOST_PORT: String(HOST_PORT) },
      reuseExistingServer: false,
      timeout: 10_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
