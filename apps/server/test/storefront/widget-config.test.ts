import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { onsiteChunksFor, type OnsiteChunk } from '../../src/app/onsite-chunks.ts';

// GET /storefront/v1/shops/:shopId/widget: what the loader asks once the page is idle, the brand
// for the launcher and the on-site chunks this page wants (app/onsite-chunks.ts).
const SHOP_ORIGIN = 'https://palarnia.example';
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

const widget = (shopId: string, query = '', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: `/storefront/v1/shops/${shopId}/widget${query}`, headers });

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2026-12-07T10:00:00Z') });
  shop = await createTestShop(t, 'Palarnia Kawy');
  const res = await call(t, shop, 'PATCH' as 'PUT', '/v1/shop', {
    storefrontOrigins: [SHOP_ORIGIN],
    brand: { primaryColor: '#6f4e37', accentColor: '#c69c6d' },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(() => t.close());

describe('the widget settings', () => {
  it("answers the brand and the page's chunks to the shop's own origin, cacheable for a minute", async () => {
    const res = await widget(shop.id, '?path=%2Fprodukty%2Fkawa', { origin: SHOP_ORIGIN });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      brand: { logoUrl: null, primaryColor: '#6f4e37', accentColor: '#c69c6d' },
      onsite: [],
    });
    expect(res.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  it('lets no other origin read it, and is 404 for a shop that does not exist', async () => {
    const foreign = await widget(shop.id, '', { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const unknown = await widget('shop_nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a path longer than 2,000 characters', async () => {
    const res = await widget(shop.id, `?path=/${'a'.repeat(2001)}`);
    expect(res.statusCode).toBe(400);
  });
});

describe('the on-site chunks of a page', () => {
  it("lists, in order, the chunks whose feature wants the page's path", async () => {
    const seen: string[] = [];
    const chunks: OnsiteChunk[] = [
      {
        chunk: 'popups',
        wanted: async (_db, s, { path }) => s.id === shop.id && path !== '/checkout',
      },
      {
        chunk: 'social-proof',
        wanted: async (_db, _s, { path }) => (seen.push(path), path.startsWith('/produkty')),
      },
    ];
    const row = await t.db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(await onsiteChunksFor(t.db, row, { path: '/produkty/kawa' }, chunks)).toEqual([
      'popups',
      'social-proof',
    ]);
    expect(await onsiteChunksFor(t.db, row, { path: '/checkout' }, chunks)).toEqual([]);
    expect(await onsiteChunksFor(t.db, row, { path: '/' }, chunks)).toEqual(['popups']);
    expect(seen).toEqual(['/produkty/kawa', '/checkout', '/']);
  });
});
