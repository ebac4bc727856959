// End-to-end tests: Debian's Chromium (no browser download is possible here) against the
// reference backend serving the release build in ../../dist over a throwaway database.
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

const port = Number(process.env.RAPPORT_E2E_PORT ?? 18765);
const root = path.resolve(__dirname, '..', '..');
const server = process.env.RAPPORT_SERVER_BIN ?? path.join(root, 'target', 'release', 'rapport-server');
const db = path.join(os.tmpdir(), `rapport-e2e-${process.pid}.sqlite3`);
// Every test signs the one demo customer in and saves from the one loopback address: far more
// than a person does, so the harness widens the sign-in and write quotas (the limits
// themselves are tested in crates/server/tests/abuse.rs).
const harnessLimits = '--sign-in-per-account 10000 --sign-in-per-client 10000 --writes-per-customer 10000';

export default defineConfig({
  testDir: '.',
  // One shared demo customer: tests take turns so one's save never lands in another's form.
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
  webServer: {
    command: `rm -f "${db}"* && "${server}" --addr 127.0.0.1:${port} --db "${db}" --dist "${path.join(root, 'dist')}" --demo-data ${harnessLimits}`,
    url: `http://127.0.0.1:${port}/config.json`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
