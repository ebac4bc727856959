// What the benchmark scripts share: Debian's Chromium with the flags this machine needs, the
// demo customer's sign-in, the median, the `bench:` line format, and the page's own marks.
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

/**
 * Makes every page of `context` report its performance marks on the console, `mark <name> <ms>`:
 * polling for a mark would put Playwright's injected script (~30 ms of evaluation here) in
 * the middle of the load being measured.
 */
export function reportMarks(context) {
  return context.addInitScript(() => {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) console.debug(`mark ${entry.name} ${entry.startTime}`);
    }).observe({ type: 'mark' });
  });
}

/** The time of `page`'s mark `name` once reported (call it before the page loads). */
export function markOf(page, name, timeout = 10_000) {
  return page
    .waitForEvent('console', { predicate: (m) => m.text().startsWith(`mark ${name} `), timeout })
    .then((m) => Number(m.text().split(' ')[2]));
}
