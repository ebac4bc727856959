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
const { token, subject } = await signIn.json();
const officer = await (await fetch(`${base}/api/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'officer@rapport.example', password: 'officer' }),
})).json();

const desktop = { width: 1100, height: 900 };
const phone = { width: 390, height: 844 };
const shots = [
  { name: 'welcome', path: '/', viewport: desktop, locale: 'en-GB', ready: '#since-title', act: personalise },
  { name: 'profile', path: '/profile', viewport: desktop, locale: 'en-GB', ready: '#profile-name' },
  { name: 'profile-sv-phone', path: '/profile', viewport: phone, locale: 'sv-SE', ready: '#profile-name' },
  { name: 'preferences', path: '/preferences', viewport: desktop, locale: 'en-GB', ready: '#contact-title', act: choose },
  { name: 'preferences-sv-phone', path: '/preferences', viewport: phone, locale: 'sv-SE', ready: '#contact-title', act: choose },
  { name: 'privacy', path: '/privacy', viewport: desktop, locale: 'en-GB', ready: '#consent-marketing', act: consent },
  { name: 'audit', path: '/audit', viewport: desktop, locale: 'en-GB', ready: '#ledger-title', officer: true },
  { name: 'design', path: '/design', viewport: desktop, locale: 'en-GB', ready: '#design-total', act: configure },
  { name: 'design-sv-phone', path: '/design', viewport: phone, locale: 'sv-SE', ready: '#design-total', act: configure },
  // The timeline is long by design: its first screens, not the whole page.
  { name: 'history', path: '/history', viewport: { width: 1100, height: 2200 }, locale: 'en-GB', ready: '.timeline li.event', clip: true },
];

/** A few choices, so the page shows ticked items and the review of changes. */
async function choose(page) {
  await page.locator('#checklist-interests-golf').check();
  await page.locator('#checklist-interests-cooking').check();
  await page.locator('#cell-offers-email').check();
  await page.locator('#frequency-email').selectOption('weekly');
  await page.locator('details.review summary').click();
}

/** A few options, one of them forbidden by another, so the page shows a reason and a price. */
async function configure(page) {
  await page.locator('#option-mug').check();
  await page.locator('#option-mug-count').fill('2');
  await page.locator('#option-mug-count').press('Tab');
  await page.locator('#option-french-press').check();
  await page.locator('#option-gift-wrap').check();
}

/** Suggestions allowed, so the welcome page shows them and why. */
async function personalise(page) {
  const allow = page.locator('#consent-personalisation');
  await allow.waitFor();
  if (!(await allow.isChecked())) await allow.check();
  await page.locator('.suggestions').waitFor().catch(() => {});
}

/** A consent given, so the page shows its receipt and the history. */
async function consent(page) {
  if (!(await page.locator('#consent-marketing').isChecked())) await page.locator('#consent-marketing').check();
  await page.locator('.receipt').waitFor().catch(() => {});
}

for (const shot of shots) {
  if (only.length > 0 && !only.includes(shot.name)) continue;
  const context = await browser.newContext({
    viewport: shot.viewport, locale: shot.locale, deviceScaleFactor: 1, timezoneId: 'Europe/Stockholm',
  });
  const account = shot.officer ? officer : { token, subject, role: 'customer' };
  await context.addInitScript(([t, s, r]) => {
    localStorage.setItem('rapport.session', t);
    localStorage.setItem('rapport.subject', s);
    localStorage.setItem('rapport.role', r);
  }, [account.token, account.subject, account.role]);
  const page = await context.newPage();
  await page.goto(`${base}${shot.path}`);
  await page.locator(shot.ready).first().waitFor();
  if (shot.act) await shot.act(page);
  if (!shot.clip) {
    // The whole page in one viewport, so sticky parts sit where a customer would see them last.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: shot.viewport.width, height });
  }
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}${shot.name}.png` });
  await context.close();
}
await browser.close();
