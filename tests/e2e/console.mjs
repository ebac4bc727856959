// Prints console messages and page errors of a signed-in load of a path (diagnostics).
import { demoToken, launch } from './bench-common.mjs';
const [base, path = '/profile'] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext({ locale: 'en-GB' });
const session = await demoToken(base);
await context.addInitScript((t) => localStorage.setItem('rapport.session', t), session);
const page = await context.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(`${base}${path}`);
await page.waitForTimeout(3000);
console.log((await page.locator('rapport-portal').innerText()).slice(0, 300));
await browser.close();
