// The design page against a real mapped store (whichever scripts/e2e-stores.sh started). The
// mappings keep no designs and take no orders, so the page says so once, offers nothing it
// cannot do, and the configurator still prices a product live: nothing is asked of the store
// for designs or orders.
import { test, expect, signIn, STORE_URL } from './store';

test('on a store without designs the configurator still prices, and says what it cannot keep', async ({ page, account }) => {
  const asked: string[] = [];
  page.on('request', (r) => { if (r.url().startsWith(STORE_URL)) asked.push(new URL(r.url()).pathname); });
  await signIn(page, account);
  await page.getByRole('link', { name: 'Design your own' }).click();
  await expect(page.getByRole('heading', { name: 'Design your own', level: 1 })).toBeVisible();
  await expect(page.getByText('does not keep designs or take orders here')).toBeVisible();

  const money = (minor: number) => page.evaluate((m) =>
    new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'SEK' }).format(m / 100), minor);
  const total = page.locator('#design-total');
  await expect(page.getByRole('radio', { name: /Fika box/ })).toBeChecked();
  await expect(total).toHaveText(`Total: ${await money(29900)}`);
  await page.getByRole('checkbox', { name: /Stoneware mug/ }).check();
  await expect(total).toHaveText(`Total: ${await money(29900 + 14900)}`);

  for (const missing of ['Save as a new design', 'Order now']) {
    await expect(page.getByRole('button', { name: missing })).toHaveCount(0);
  }
  // The store was asked for the profile the sign-in landed on, and for nothing about designs.
  expect(asked.some((path) => /profile/.test(path))).toBe(true);
  expect(asked.filter((path) => /design|order/i.test(path))).toEqual([]);
});
