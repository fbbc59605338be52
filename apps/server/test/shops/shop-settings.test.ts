import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { orderPaid, send } from '../points/support.ts';

// PATCH /v1/shop: the shop's own settings (issue 14, Settings), validated field by field,
// refused to roles without MANAGE, the currency fixed once there are orders, and audited with
// the state before and after.
const clock = fixedClock('2026-12-06T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kwiaciarnia Róża');
  other = await createTestShop(t, 'Inny Sklep');
});
afterAll(() => t.close());

const patch = (payload: unknown, headers: Record<string, string> = bearer(shop.apiKey)) =>
  t.app.inject({ method: 'PATCH', url: '/v1/shop', headers, payload: payload as object });

async function row(id = shop.id) {
  return t.db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('PATCH /v1/shop', () => {
  it('changes only the fields sent and answers the shop', async () => {
    const res = await patch({
      name: '  Kwiaciarnia Róża i Syn ',
      timezone: 'America/New_York',
      locale: 'en',
      returnWindowDays: 30,
      storefrontUrl: 'https://roza.pl/sklep',
      brand: { logoUrl: 'https://cdn.roza.pl/logo.png', primaryColor: '#0B7285' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: shop.id,
      name: 'Kwiaciarnia Róża i Syn',
      currency: 'PLN',
      timezone: 'America/New_York',
      locale: 'en',
      returnWindowDays: 30,
      storefrontUrl: 'https://roza.pl/sklep',
      brand: {
        logoUrl: 'https://cdn.roza.pl/logo.png',
        primaryColor: '#0b7285',
        accentColor: null,
      },
    });
    // The key's cached shop is forgotten: the next read sees the change at once.
    const read = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(shop.apiKey),
    });
    expect(read.json()).toMatchObject({
      name: 'Kwiaciarnia Róża i Syn',
      timezone: 'America/New_York',
    });
    expect(read.json().connection).toEqual({
      shopifyWebhookUrl: `http://localhost:3000/v1/webhooks/shopify/${shop.id}`,
      woocommerceWebhookUrl: `http://localhost:3000/v1/webhooks/woocommerce/${shop.id}`,
      shoperWebhookUrl: `http://localhost:3000/v1/webhooks/shoper/${shop.id}`,
      eventsUrl: 'http://localhost:3000/v1/events',
    });
    // Null clears; a field left out stays.
    const cleared = await patch({ brand: { logoUrl: null } });
    expect(cleared.json().brand).toEqual({
      logoUrl: null,
      primaryColor: '#0b7285',
      accentColor: null,
    });
    expect((await row()).return_window_days).toBe(30);
  });

  it('refuses each bad field with its path, and changes nothing', async () => {
    const before = await row();
    const res = await patch({
      name: '',
      currency: 'ZLOTY',
      timezone: 'Europe/Kraków',
      locale: 'de',
      returnWindowDays: 400,
      storefrontUrl: 'http://roza.pl',
      brand: { logoUrl: 'https://10.0.0.1/logo.png', primaryColor: 'teal', accentColor: '#12345' },
    });
    expectProblem(res, 400);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual([
      'brand.accentColor',
      'brand.logoUrl',
      'brand.primaryColor',
      'currency',
      'locale',
      'name',
      'returnWindowDays',
      'storefrontUrl',
      'timezone',
    ]);
    const messages = Object.fromEntries(
      (res.json().errors as { path: string; message: string }[]).map((e) => [e.path, e.message]),
    );
    expect(messages.storefrontUrl).toBe('must start with https://');
    expect(messages['brand.logoUrl']).toMatch(/10\.0\.0\.1 is not a public address/);
    expect(messages['brand.primaryColor']).toMatch(/#rrggbb/);
    // A local name and an unknown field are refused too.
    const local = await patch({ storefrontUrl: 'https://sklep.local/' });
    expectProblem(local, 400);
    expect(local.json().errors[0]).toMatchObject({ path: 'storefrontUrl' });
    expectProblem(await patch({ slug: 'nowy' }), 400);
    expect(await row()).toEqual(before);
  });

  it('changes the currency before the first order, and refuses it with 409 after', async () => {
    const fresh = await createTestShop(t, 'Nowy Sklep');
    const early = await patch({ currency: 'EUR' }, bearer(fresh.apiKey));
    expect(early.statusCode, early.body).toBe(200);
    expect(early.json().currency).toBe('EUR');

    await send(t, shop, orderPaid('o-1', 'ola', '2026-12-05T12:00:00Z', { total: 1000 }));
    const late = await patch({ currency: 'EUR', name: 'Zmieniona' });
    expectProblem(late, 409);
    expect(late.json()).toMatchObject({
      type: '/problems/currency-locked',
      errors: [{ path: 'currency', message: 'cannot change from PLN: the shop has orders' }],
    });
    expect(late.json().detail).toMatch(/minor units of PLN/);
    const now = await row();
    expect(now.currency).toBe('PLN');
    expect(now.name).not.toBe('Zmieniona');
    // The same currency again is no change, and is accepted.
    expect((await patch({ currency: 'PLN' })).statusCode).toBe(200);
  });

  it('is for owners and admins: a marketer is refused with 403 and nothing changes', async () => {
    const marketer = await createMember(t, shop.id, 'marketer');
    const admin = await createMember(t, shop.id, 'admin');
    const before = await row();
    const refused = await patch(
      { name: 'Marketing' },
      asMember(await signIn(t, marketer.email), shop.id),
    );
    expectProblem(refused, 403);
    expect(await row()).toEqual(before);
    const allowed = await patch(
      { name: 'Od admina' },
      asMember(await signIn(t, admin.email), shop.id),
    );
    expect(allowed.statusCode, allowed.body).toBe(200);
    // Another shop is untouched, and a member of one shop cannot name the other.
    expect((await row(other.id)).name).toBe('Inny Sklep');
    expect(
      (await patch({ name: 'Cudzy' }, asMember(await signIn(t, admin.email), other.id))).statusCode,
    ).toBe(404);
    expect((await row(other.id)).name).toBe('Inny Sklep');
  });

  it('leaves one audit entry with the state before and after', async () => {
    const res = await patch({ brand: { accentColor: '#FFAA00' } });
    expect(res.statusCode).toBe(200);
    const log = await t.app.inject({
      method: 'GET',
      url: '/v1/audit-log?action=PATCH%20/v1/shop&limit=1',
      headers: bearer(shop.apiKey),
    });
    const [entry] = log.json().data;
    expect(entry).toMatchObject({
      action: 'PATCH /v1/shop',
      actor: { type: 'api_key' },
      before: { brand: { accentColor: null } },
      after: { brand: { accentColor: '#ffaa00' } },
    });
  });
});
