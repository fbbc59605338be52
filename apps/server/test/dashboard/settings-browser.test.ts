import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { bearer, shopifyHeaders, type TestApp } from '../support/app.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// Settings and Onboarding in a browser, on the real app and database: connect the shop and see
// the first signed Shopify delivery arrive; change the shop's name and time zone; a bad colour
// said next to its field; an API key shown once, used and revoked; a marketer kept from keys;
// every write in the audit viewer; axe on each page.
const NOW = '2026-12-06T10:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let marketer: { email: string; password: string };

/** The text the field's error says (Mantine wires it with aria-describedby). */
/**
 * axe on the page as it rests: the pointer moved off the control just clicked (the shell's
 * theme darkens a hovered filled button to teal 8, which axe would judge mid-hover).
 */
async function axeClean(page: Page) {
  await page.mouse.move(0, 0);
  expect(await h.seriousViolations(page)).toEqual([]);
}

async function fieldError(page: Page, label: string | RegExp): Promise<string> {
  const input = page.getByLabel(label).first();
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const described = (await input.getAttribute('aria-describedby')) ?? '';
  const id = described.split(' ').find((i) => i.endsWith('error'));
  return page.locator(`[id="${id}"]`).innerText();
}

describe.skipIf(!browserTestsRun)('settings and onboarding in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({ now: NOW, shopName: 'Herbaciarnia Liść' });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@lisc.pl');
    marketer = await createMember(t, shop.id, 'marketer', 'marketing@lisc.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('onboarding: from Home to the Shopify URL and secret, then "received ✓" once a signed delivery arrives', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    // Nothing received yet: Home points to the onboarding.
    await page.getByTestId('onboarding-nudge').getByRole('link').click();
    await page.getByRole('heading', { name: 'Connect your shop', level: 1 }).waitFor();
    expect(await page.getByTestId('webhook-url').innerText()).toBe(
      `${base}/v1/webhooks/shopify/${shop.id}`,
    );
    await expect
      .poll(() => page.getByTestId('delivery-status').innerText())
      .toContain('Waiting for the first delivery…');
    await expect
      .poll(() => page.getByTestId('programme-words').innerText())
      .toContain('1 point for every');
    const words = await page.getByTestId('programme-words').innerText();
    expect(words).toContain('Points can be used 14 days after the order');
    expect(words).toContain('Points expire 12 months after they become available.');
    await axeClean(page);

    // WooCommerce's URL too, then back to Shopify.
    await page.getByText('WooCommerce', { exact: true }).click();
    await expect
      .poll(() => page.getByTestId('webhook-url').innerText())
      .toBe(`${base}/v1/webhooks/woocommerce/${shop.id}`);
    await page.getByText('Shopify', { exact: true }).click();

    // The secret is revealed by making a new one, shown once.
    await page.getByRole('button', { name: 'Make and show a new secret' }).click();
    const secret = await page.getByTestId('new-secret-value').innerText();
    expect(secret).toMatch(/^whsec_/);

    // A delivery signed the way Shopify signs it, with that secret.
    const body = JSON.stringify({
      id: 7_000_000_000_001,
      admin_graphql_api_id: 'gid://shopify/Customer/7000000000001',
      email: 'ola@example.pl',
      first_name: 'Ola',
    });
    const delivered = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(secret, body, 'customers/create', 'wh-first'),
      payload: body,
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    await expect
      .poll(() => page.getByTestId('delivery-status').innerText(), { timeout: 10_000 })
      .toContain('Received ✓');
    expect(await page.getByTestId('delivery-status').innerText()).toContain('customers/create');
    await axeClean(page);

    // Home no longer asks to connect.
    await page.getByRole('link', { name: 'Go to Home' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('onboarding-nudge').count()).toBe(0);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('an owner renames the shop and changes its time zone, and a bad colour is said next to its field', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Shop settings', level: 1 }).waitFor();
    await axeClean(page);

    await page.getByLabel('Shop name').fill('Herbaciarnia Liść i Kwiat');
    const timezone = page.getByTestId('timezone');
    await timezone.click();
    await timezone.fill('Europe/Lon');
    await page.getByRole('option', { name: 'Europe/London' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    // The header's shop switch shows the new name; the API has both changes.
    await expect
      .poll(() => page.getByTestId('shop-switch').inputValue())
      .toBe('Herbaciarnia Liść i Kwiat');
    const read = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(shop.apiKey),
    });
    expect(read.json()).toMatchObject({
      name: 'Herbaciarnia Liść i Kwiat',
      timezone: 'Europe/London',
    });

    // A storefront address that is not https is refused next to its field.
    await page.getByLabel('Storefront address').fill('http://lisc.pl');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await fieldError(page, 'Storefront address')).toMatch(
      /https address on a public domain/,
    );
    await page.getByLabel('Storefront address').fill('https://lisc.pl');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();

    // Brand kit: a bad colour is refused by the server and said next to the field.
    await page.getByRole('link', { name: 'Brand kit' }).click();
    await page.getByRole('heading', { name: 'Brand kit', level: 1 }).waitFor();
    await page.getByLabel('Main colour').fill('teal');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await fieldError(page, 'Main colour')).toBe('Enter a colour as #rrggbb, e.g. #0b7285.');
    const before = await t.db
      .selectFrom('shops')
      .select('brand_primary_color')
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(before.brand_primary_color).toBeNull();
    await page.getByLabel('Main colour').fill('#5C940D');
    await page.getByLabel('Accent colour').fill('#ffd43b');
    // The preview follows what is typed, before saving.
    await expect
      .poll(() =>
        page.getByTestId('preview-header').evaluate((el) => getComputedStyle(el).backgroundColor),
      )
      .toBe('rgb(92, 148, 13)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const after = await t.db
      .selectFrom('shops')
      .select(['brand_primary_color', 'brand_accent_color'])
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ brand_primary_color: '#5c940d', brand_accent_color: '#ffd43b' });
    await axeClean(page);
    // The two refused saves (400) are the only complaints.
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an owner creates an API key, sees it once, uses it, and revokes it (then 401)', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.goto(`${base}/admin/settings/api-keys`);
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Kasa w sklepie');
    await page.getByRole('button', { name: 'Create the key' }).click();
    const key = await page.getByTestId('new-key-value').innerText();
    expect(key).toMatch(/^lojal_sk_/);
    await axeClean(page);

    const withKey = () => t.app.inject({ method: 'GET', url: '/v1/shop', headers: bearer(key) });
    expect((await withKey()).statusCode).toBe(200);

    // Shown once: after a reload only its last characters are listed.
    await page.reload();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('Kasa w sklepie').waitFor();
    expect(await page.getByTestId('new-key').count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    await page.getByRole('button', { name: 'Revoke the key Kasa w sklepie' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this key?' });
    await dialog.waitFor();
    await axeClean(page);
    await dialog.getByRole('button', { name: 'Revoke the key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByRole('row', { name: /Kasa w sklepie/ }).innerText())
      .toMatch(/revoked/i);
    expect((await withKey()).statusCode).toBe(401);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('an owner installs the widget: copies its tag, lists the shop origin, makes the storefront secret once', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await page.goto(`${base}/admin/settings/storefront`);
    await page.getByRole('heading', { name: 'Widżet w sklepie', level: 1 }).waitFor();
    expect(await page.getByTestId('widget-tag').innerText()).toBe(
      `<script src="${base}/widget.js" data-shop="${shop.id}" async></script>`,
    );
    const origins = page.getByLabel('Adresy sklepu (jeden w wierszu)');
    await origins.fill('https://herbaciarnia.pl/sklep');
    await page.getByRole('button', { name: 'Zapisz' }).click();
    expect(await fieldError(page, 'Adresy sklepu (jeden w wierszu)')).toMatch(/bez ścieżki/);
    await origins.fill('https://herbaciarnia.pl\nhttp://localhost:8080');
    await page.getByRole('button', { name: 'Zapisz' }).click();
    await page.getByText('Zapisano.').waitFor();
    const saved = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(shop.apiKey),
    });
    expect(saved.json().storefrontOrigins).toEqual([
      'https://herbaciarnia.pl',
      'http://localhost:8080',
    ]);

    await page.getByRole('button', { name: 'Utwórz nowy sekret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Utworzyć nowy sekret sklepu online?' });
    await dialog.getByRole('button', { name: 'Utwórz nowy sekret' }).click();
    const secret = await page.getByTestId('new-storefront-secret-value').innerText();
    expect(secret).toMatch(/^sfsec_/);
    await axeClean(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Widżet w sklepie', level: 1 }).waitFor();
    expect(await page.content()).not.toContain(secret);
    // The refused save (400) is the only complaint.
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('the audit viewer lists these writes, filters by action and shows the change as a diff', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.goto(`${base}/admin/settings/audit-log`);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const entries = page.getByTestId('audit-entries');
    await entries.waitFor();
    const text = await entries.innerText();
    for (const action of [
      'PATCH /v1/shop',
      'POST /v1/api-keys',
      'DELETE /v1/api-keys/:keyId',
      'POST /v1/webhook-secret/rotate',
    ])
      expect(text).toContain(action);
    await axeClean(page);

    await page.getByRole('combobox', { name: 'Action' }).fill('PATCH /v1/shop');
    // Three from the shop settings test, one from the storefront test's origins.
    await expect.poll(() => page.getByTestId('audit-entry').count()).toBe(4);
    // The first rename: name and time zone, before and after.
    const oldest = page.getByTestId('audit-entry').last();
    await oldest.getByText(/changes?$/).click();
    const diff = await oldest.getByTestId('audit-diff').innerText();
    expect(diff).toMatch(/name\s+Herbaciarnia Liść\s+Herbaciarnia Liść i Kwiat/);
    expect(diff).toMatch(/timezone\s+Europe\/Warsaw\s+Europe\/London/);
    await axeClean(page);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('a marketer does not see API keys: not in the menu, forbidden when opened, 403 from the API', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, marketer.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Shop settings', level: 1 }).waitFor();
    const menu = await page.getByTestId('settings-nav').innerText();
    expect(menu).toContain('Brand kit');
    expect(menu).not.toContain('API keys');
    expect(menu).not.toContain('Webhook secret');
    expect(menu).not.toContain('Audit log');
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await axeClean(page);

    for (const path of ['api-keys', 'webhook-secret', 'audit-log']) {
      await page.goto(`${base}/admin/settings/${path}`);
      await page.getByTestId('forbidden').waitFor();
      expect(await page.content()).not.toContain('lojal_sk_');
    }
    await axeClean(page);

    const cookie = await signIn(t, marketer.email, marketer.password);
    for (const url of ['/v1/api-keys', '/v1/audit-log']) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: asMember(cookie, shop.id, base),
      });
      expect(res.statusCode, url).toBe(403);
    }
    const create = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: asMember(cookie, shop.id, base),
      payload: {},
    });
    expect(create.statusCode).toBe(403);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: settings and onboarding in both languages at 1280 and 390 px',
    async () => {
      const pages = [
        ['onboarding', '/onboarding', 'programme-words'],
        ['settings-shop', '/settings', null],
        ['settings-brand', '/settings/brand', 'brand-preview'],
        ['settings-storefront', '/settings/storefront', 'widget-tag'],
        ['settings-api-keys', '/settings/api-keys', null],
        ['settings-webhook-secret', '/settings/webhook-secret', null],
        ['settings-audit-log', '/settings/audit-log', null],
      ] as const;
      await h.inEachLanguageAndWidth(owner.email, async ({ page, shot }) => {
        for (const [name, path, ready] of pages) {
          await page.goto(`${base}/admin${path}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          if (ready) await page.getByTestId(ready).waitFor();
          await page.waitForLoadState('networkidle');
          await shot(name);
        }
      });
    },
    120_000,
  );
});
