// What the benchmark scripts share: Debian's Chromium with the flags this machine needs, the
// demo customer's sign-in, the median, and the `bench:` line format.
import { chromium } from '@playwright/test';

/** Headless Chromium as the tests run it (no browser download is possible here). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'],
  });
}

/** A bearer token for the demo customer. */
export async function demoToken(base) {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@rapport.example', password: 'demo' }),
  });
  if (!response.ok) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return (await response.json()).token;
}

/** The middle value (the upper one of the two middles for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
