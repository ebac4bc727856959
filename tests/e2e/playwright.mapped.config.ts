// The profile, preferences and design pages against a real mapped store (Kinto on PostgreSQL, or
// PocketBase), started by scripts/e2e-stores.sh, which also writes a copy of dist/ whose
// config.json maps the portal onto that store. The reference server only serves those files
// here (its CSP's connect-src follows the configured backend to the store); every call the
// portal makes goes to the store, across origins.
//
//   scripts/e2e-stores.sh kinto -- npm --prefix tests/e2e run test:mapped --silent
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const server = process.env.RAPPORT_SERVER_BIN ?? path.join(root, 'target', 'release', 'rapport-server');
const port = process.env.RAPPORT_E2E_MAPPED_PORT;
const dist = process.env.RAPPORT_E2E_MAPPED_DIST;
const store = process.env.RAPPORT_STORE;
if (!port || !dist || !store) {
  throw new Error('run through scripts/e2e-stores.sh kinto|pocketbase -- ..., which starts the store');
}
const db = path.join(os.tmpdir(), `rapport-e2e-mapped-${process.pid}.sqlite3`);

export default defineConfig({
  testDir: './mapped',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // Each line names the store: "[kinto] › profile.spec.ts › ...".
  projects: [{ name: store }],
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
    command: `rm -f "${db}"* && "${server}" --addr 127.0.0.1:${port} --db "${db}" --dist "${dist}" --ledger-key "${db}.key"`,
    url: `http://127.0.0.1:${port}/config.json`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
