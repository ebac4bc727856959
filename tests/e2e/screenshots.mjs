// Regenerates the README's screenshots from a running portal:
// node screenshots.mjs <base-url> [name ...]   (all of them when no name is given)
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const only = process.argv.slice(3);
const out = new URL('../../docs/', import.meta.url).pathname;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const signIn = await fetch(`${base}/api/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'demo@rapport.example', password: 'demo' }),
});
const { token } = await signIn.json();

for (const [name, viewport, locale, path, ready, fullPage] of [
  ['profile', { width: 1100, height: 900 }, 'en-GB', '/profile', '#profile-name', true],
  ['profile-sv-phone', { width: 390, height: 1000 }, 'sv-SE', '/profile', '#profile-name', true],
  // The timeline is long by design: the first screens of it, not the whole page.
  ['history', { width: 1100, height: 2200 }, 'en-GB', '/history', '.timeline li.event', false],
]) {
  if (only.length > 0 && !only.includes(name)) continue;
  const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1, timezoneId: 'Europe/Stockholm' });
  await context.addInitScript((t) => localStorage.setItem('rapport.session', t), token);
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.locator(ready).first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
  await context.close();
}
await browser.close();
