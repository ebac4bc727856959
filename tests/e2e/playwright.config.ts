// End-to-end tests: Debian's Chromium (no browser download is possible here) against the
// reference backend serving the release build in ../../dist over a throwaway database.
import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOST_ORIGIN, HOST_PORT, PORTAL_PORT } from './hosts/ports';

const port = PORTAL_PORT;
const root = path.resolve(__dirname, '..', '..');
const server = process.env.RAPPORT_SERVER_BIN ?? path.join(root, 'target', 'release', 'rapport-server');
const db = path.join(os.tmpdir(), `rapport-e2e-${process.pid}.sqlite3`);

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
  webServer: [
    {
      // --allow-origin: the host pages below embed the portal from their own origin.
      command: `rm -f "${db}"* && "${server}" --addr 127.0.0.1:${port} --db "${db}" --dist "${path.join(root, 'dist')}" --allow-origin ${HOST_ORIGIN}`,
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
