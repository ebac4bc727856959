// Regenerates the README's screenshots from a running portal: node screenshots.mjs <base-url>
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
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

for (const [name, viewport, locale] of [
  ['profile', { width: 1100, height: 900 }, 'en-GB'],
  ['profile-sv-phone', { width: 390, height: 1000 }, 'sv-SE'],
]) {
  const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1 });
  await context.addInitScript((t) => localStorage.setItem('rapport.session', t), token);
  const page = await context.newPage();
  await page.goto(`${base}/profile`);
  await page.locator('#profile-name').waitFor();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}${name}.png`, fullPage: true });
  await context.close();
}
await browser.close();
