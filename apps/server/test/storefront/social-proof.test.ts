import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { call, orderPaid, refunded, send } from '../points/support.ts';
import { boughtToday, socialProofNotes } from '../../src/social-proof/social-proof-messages.ts';
import { defaultSocialProofSettings } from '../../src/social-proof/social-proof-settings.ts';
import { inPlacePl } from '../../src/social-proof/city-locative.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';

// 23:30 on 1 April in Warsaw (CEST, UTC+2): "today" there began at 2026-03-31T22:00:00Z.
const NOW = '2026-04-01T21:30:00Z';
const clock = fixedClock(NOW);
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
type Shop = typeof shop;

type Note = { kind: string; text: string; count?: number; city?: string; firstName?: string };

async function proof(s: Shop, product: string, locale = 'pl') {
  const res = await t.app.inject({
    method: 'GET',
    url: `/storefront/v1/shops/${s.id}/social-proof?product=${product}&locale=${locale}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return { notes: res.json().messages as Note[], body: res.body, headers: res.headers };
}

const KRAKOW = { line1: 'Długa 1', city: 'Kraków', postalCode: '31-001', country: 'PL' };
const DEBA = { line1: 'Leśna 2', city: 'Nowa Dęba', postalCode: '39-460', country: 'PL' };

function buy(
  id: string,
  customer: string,
  at: string,
  product: string,
  extra: { firstName?: string; shippingAddress?: object; total?: number } = {},
) {
  return orderPaid(
    id,
    { id: customer, ...(extra.firstName && { firstName: extra.firstName, lastName: 'Testowa' }) },
    at,
    {
      total: extra.total ?? 3000,
      lines: [{ productId: product, quantity: 1, price: extra.total ?? 3000 }],
      ...(extra.shippingAddress && { shippingAddress: extra.shippingAddress }),
    } as never,
  );
}

async function settings(s: Shop, body: object) {
  const res = await call(t, s, 'PUT', '/v1/social-proof/settings', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/**
 * Moves past the minute for which counts are kept (a minute further each time, still on
 * 1 April in Warsaw), then back to the test's "now".
 */
let minutesOn = 0;
async function afterCache<T>(read: () => Promise<T>): Promise<T> {
  minutesOn += 1;
  expect(minutesOn).toBeLessThan(25);
  clock.set(new Date(new Date(NOW).getTime() + minutesOn * 61_000));
  try {
    return await read();
  } finally {
    clock.set(NOW);
  }
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Palarnia Kawy');
  other = await createTestShop(t, 'Inny sklep');
});
afterAll(() => t.close());

describe('the words', () => {
  it('counts people with Polish plural forms', () => {
    expect(boughtToday('pl', 1)).toBe('1 osoba kupiła to dziś');
    expect(boughtToday('pl', 3)).toBe('3 osoby kupiły to dziś');
    expect(boughtToday('pl', 5)).toBe('5 osób kupiło to dziś');
    expect(boughtToday('pl', 12)).toBe('12 osób kupiło to dziś');
    expect(boughtToday('pl', 22)).toBe('22 osoby kupiły to dziś');
    expect(boughtToday('pl', 14)).toBe('14 osób kupiło to dziś');
    expect(boughtToday('en', 1)).toBe('1 person bought this today');
    expect(boughtToday('en', 14)).toBe('14 people bought this today');
  });

  it('puts known cities in the locative and names other places safely', () => {
    expect(inPlacePl('Kraków')).toBe('w Krakowie');
    expect(inPlacePl(' łódź ')).toBe('w Łodzi');
    expect(inPlacePl('Nowa Dęba')).toBe('w miejscowości Nowa Dęba');
  });

  it('shows a name only when names are on and the facts hold a consenting one', () => {
    const facts = { buyersToday: 2, recentCity: null, recentFirstName: 'Ola' };
    const on = { ...defaultSocialProofSettings, enabled: true, showFirstNames: true };
    expect(socialProofNotes(facts, { ...on, messages: ['recent_name'] }, 'pl')).toEqual([
      { kind: 'recent_name', firstName: 'Ola', text: 'Ostatnio kupione przez: Ola' },
    ]);
    expect(
      socialProofNotes(facts, { ...on, showFirstNames: false, messages: ['recent_name'] }, 'pl'),
    ).toEqual([]);
    // Two buyers are under any threshold.
    expect(socialProofNotes(facts, { ...on, messages: ['bought_today'] }, 'pl')).toEqual([]);
  });
});

describe('settings', () => {
  it('start switched off, with a threshold of 3', async () => {
    const res = await call(t, shop, 'GET', '/v1/social-proof/settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      enabled: false,
      minCustomers: 3,
      recentDays: 7,
      showFirstNames: false,
      messages: ['bought_today', 'recent_city'],
    });
  });

  it('never take a threshold under 3 customers', async () => {
    const res = await call(t, shop, 'PUT', '/v1/social-proof/settings', { minCustomers: 2 });
    expectProblem(res, 400);
    expect(res.json().errors[0].path).toBe('minCustomers');
  });

  it('say nothing on the storefront while switched off', async () => {
    await send(
      t,
      shop,
      ...['a', 'b', 'c', 'd'].map((c, i) =>
        buy(`off-${i}`, `off-${c}`, '2026-04-01T09:00:00Z', 'wylaczony'),
      ),
    );
    expect((await proof(shop, 'wylaczony')).notes).toEqual([]);
  });

  it('change field by field and read back', async () => {
    const saved = await settings(shop, {
      enabled: true,
      messages: ['recent_city', 'bought_today'],
    });
    expect(saved).toMatchObject({
      enabled: true,
      minCustomers: 3,
      messages: ['bought_today', 'recent_city'],
    });
    expect((await call(t, shop, 'GET', '/v1/social-proof/settings')).json()).toEqual(saved);
  });
});

describe('"N osób kupiło to dziś"', () => {
  it('shows nothing for a product bought by 2 customers today, however often', async () => {
    await send(
      t,
      shop,
      buy('k-1', 'anna', '2026-03-31T22:30:00Z', 'kawa'), // 00:30 in Warsaw: today
      buy('k-2', 'bartek', '2026-04-01T08:00:00Z', 'kawa'),
      buy('k-3', 'anna', '2026-04-01T12:00:00Z', 'kawa'), // the same customer again
      buy('k-4', 'celina', '2026-03-31T21:59:00Z', 'kawa'), // 23:59 yesterday in Warsaw
    );
    const { notes, headers } = await proof(shop, 'kawa');
    expect(notes).toEqual([]);
    expect(headers['cache-control']).toBe('public, max-age=60');
  });

  it("keeps an answer for a minute, then counts the third customer in the shop's day", async () => {
    await send(t, shop, buy('k-5', 'darek', '2026-04-01T15:00:00Z', 'kawa'));
    // Within the minute the kept count answers.
    expect((await proof(shop, 'kawa')).notes).toEqual([]);
    const { notes } = await afterCache(() => proof(shop, 'kawa'));
    // k-1 at 22:30 UTC on 31 March is today in Warsaw; k-4 at 21:59 UTC is not.
    expect(notes).toEqual([{ kind: 'bought_today', count: 3, text: '3 osoby kupiły to dziś' }]);
    const en = await afterCache(() => proof(shop, 'kawa', 'en'));
    expect(en.notes).toEqual([
      { kind: 'bought_today', count: 3, text: '3 people bought this today' },
    ]);
  });

  it('does not count cancelled orders or orders refunded in full', async () => {
    await send(
      t,
      shop,
      ...['e', 'f', 'g'].map((c, i) => buy(`h-${i}`, `h-${c}`, '2026-04-01T10:00:00Z', 'herbata')),
      {
        type: 'order.cancelled',
        id: 'h-cancel',
        occurredAt: '2026-04-01T11:00:00Z',
        data: { orderId: 'h-0' },
      },
    );
    expect((await afterCache(() => proof(shop, 'herbata'))).notes).toEqual([]);
    await send(t, shop, buy('h-3', 'h-x', '2026-04-01T12:00:00Z', 'herbata'));
    expect((await afterCache(() => proof(shop, 'herbata'))).notes).toHaveLength(1);
    await send(t, shop, refunded('h-3', 'h-3-r', 3000, '2026-04-01T13:00:00Z'));
    expect((await afterCache(() => proof(shop, 'herbata'))).notes).toEqual([]);
  });

  it("does not count another shop's orders of a product with the same id", async () => {
    await settings(other, { enabled: true });
    const { notes } = await afterCache(() => proof(other, 'kawa'));
    expect(notes).toEqual([]);
  });

  it('answers 404 for an unknown shop', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/storefront/v1/shops/shp_00000000000000000000000000/social-proof?product=kawa',
    });
    expectProblem(res, 404);
  });
});

describe('"ostatnio kupione w Krakowie"', () => {
  it('names a city only once 3 customers from it bought the product lately', async () => {
    await send(
      t,
      shop,
      buy('m-1', 'm-a', '2026-03-28T10:00:00Z', 'mlynek', { shippingAddress: KRAKOW }),
      buy('m-2', 'm-b', '2026-03-29T10:00:00Z', 'mlynek', { shippingAddress: KRAKOW }),
      buy('m-3', 'm-c', '2026-03-30T10:00:00Z', 'mlynek', { shippingAddress: DEBA }),
    );
    expect((await afterCache(() => proof(shop, 'mlynek'))).notes).toEqual([]);
    await send(
      t,
      shop,
      buy('m-4', 'm-d', '2026-03-30T11:00:00Z', 'mlynek', {
        shippingAddress: { ...KRAKOW, city: 'kraków ' },
      }),
      // The latest purchase is from a place too few bought from: it is not the one named.
      buy('m-5', 'm-e', '2026-03-31T10:00:00Z', 'mlynek', { shippingAddress: DEBA }),
    );
    const { notes } = await afterCache(() => proof(shop, 'mlynek'));
    expect(notes).toEqual([
      { kind: 'recent_city', city: 'Kraków', text: 'Ostatnio kupione w Krakowie' },
    ]);
    const en = await afterCache(() => proof(shop, 'mlynek', 'en'));
    expect(en.notes[0]!.text).toBe('Recently bought in Kraków');
  });

  it('forgets purchases older than the shop\'s "recently"', async () => {
    await settings(shop, { recentDays: 2 });
    expect((await proof(shop, 'mlynek')).notes).toEqual([]);
    await settings(shop, { recentDays: 7 });
  });
});

describe('first names', () => {
  const names = ['Ola', 'Piotr', 'Zuzanna'];
  beforeAll(async () => {
    await send(
      t,
      shop,
      ...names.map((n, i) =>
        buy(`n-${i}`, `n-${n}`, `2026-04-01T1${i}:00:00Z`, 'ekspres', { firstName: n }),
      ),
    );
  });

  it("are never shown without the customer's consent, even with names turned on", async () => {
    await settings(shop, {
      showFirstNames: true,
      messages: ['bought_today', 'recent_city', 'recent_name'],
    });
    const { notes, body } = await afterCache(() => proof(shop, 'ekspres'));
    expect(notes.map((n) => n.kind)).toEqual(['bought_today']);
    for (const name of [...names, 'Testowa']) expect(body).not.toContain(name);
  });

  it("show the latest consenting buyer's first name, and only the first name", async () => {
    const res = await call(t, shop, 'POST', '/v1/customers/n-Ola/social-proof-consent', {
      granted: true,
      textShown: 'Możecie pokazać moje imię przy produktach, które kupiłam.',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ granted: true, changedAt: NOW.replace('Z', '.000Z') });
    const { notes, body } = await proof(shop, 'ekspres');
    expect(notes).toContainEqual({
      kind: 'recent_name',
      firstName: 'Ola',
      text: 'Ostatnio kupione przez: Ola',
    });
    // Zuzanna and Piotr bought later but did not consent.
    expect(body).not.toContain('Zuzanna');
    expect(body).not.toContain('Piotr');
    expect(body).not.toContain('Testowa');
    const en = await proof(shop, 'ekspres', 'en');
    expect(en.notes.at(-1)!.text).toBe('Recently bought by Ola');
  });

  it("keep the consent with its proof in the customer's consent history", async () => {
    const res = await call(t, shop, 'GET', '/v1/customers/n-Ola/consents');
    const entry = res.json().history.find((h: { channel: string }) => h.channel === 'storefront');
    expect(entry).toMatchObject({
      purpose: 'social_proof',
      granted: true,
      textShown: 'Możecie pokazać moje imię przy produktach, które kupiłam.',
    });
    expect(
      (await call(t, shop, 'GET', '/v1/customers/n-Ola/social-proof-consent')).json(),
    ).toMatchObject({ granted: true });
    expect(
      (await call(t, shop, 'GET', '/v1/customers/n-Piotr/social-proof-consent')).json(),
    ).toEqual({ granted: false, changedAt: null });
  });

  it('are not shown when the merchant turns names off, consent or not', async () => {
    await settings(shop, { showFirstNames: false });
    expect((await proof(shop, 'ekspres')).body).not.toContain('Ola');
    await settings(shop, { showFirstNames: true });
    expect((await proof(shop, 'ekspres')).body).toContain('Ola');
  });

  it('disappear at once when the customer withdraws consent', async () => {
    const res = await call(t, shop, 'POST', '/v1/customers/n-Ola/social-proof-consent', {
      granted: false,
      textShown: 'Nie pokazujcie mojego imienia.',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await proof(shop, 'ekspres')).body).not.toContain('Ola');
  });

  it('refuse consent for an unknown customer with 404', async () => {
    const res = await call(t, shop, 'POST', '/v1/customers/nikt/social-proof-consent', {
      granted: true,
      textShown: 'Tak',
    });
    expectProblem(res, 404);
  });
});

describe("the customer's own answer, from the storefront", () => {
  let secret: string;
  const asCustomer = async (sub: string) => ({
    authorization: `Bearer ${await customerToken(secret, sub, { now: clock.now() })}`,
  });
  beforeAll(async () => {
    secret = await storefrontSecret(t, shop);
  });

  it('needs the customer token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${shop.id}/me/social-proof-consent`,
      payload: { granted: true, textShown: 'Pokażcie moje imię' },
    });
    expectProblem(res, 401);
  });

  it('records a yes with its proof, and the name appears', async () => {
    const url = `/storefront/v1/shops/${shop.id}/me/social-proof-consent`;
    const headers = {
      ...(await asCustomer('n-Piotr')),
      'user-agent': 'Przeglądarka testowa',
      'idempotency-key': 'piotr-1',
    };
    const before = await t.app.inject({ method: 'GET', url, headers });
    expect(before.json()).toEqual({ granted: false, changedAt: null });
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { granted: true, textShown: 'Pokaż moje imię przy kupionych produktach' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().granted).toBe(true);
    const history = (await call(t, shop, 'GET', '/v1/customers/n-Piotr/consents')).json().history;
    expect(history[0]).toMatchObject({
      channel: 'storefront',
      purpose: 'social_proof',
      granted: true,
      source: 'storefront',
      textShown: 'Pokaż moje imię przy kupionych produktach',
      userAgent: 'Przeglądarka testowa',
    });
    expect((await proof(shop, 'ekspres')).notes.at(-1)).toEqual({
      kind: 'recent_name',
      firstName: 'Piotr',
      text: 'Ostatnio kupione przez: Piotr',
    });
  });

  it("does not name a customer of another shop's token", async () => {
    const otherSecret = await storefrontSecret(t, other);
    const token = await customerToken(otherSecret, 'n-Zuzanna', { now: clock.now() });
    const res = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${shop.id}/me/social-proof-consent`,
      headers: { authorization: `Bearer ${token}` },
      payload: { granted: true, textShown: 'Tak' },
    });
    expectProblem(res, 401);
    expect((await proof(shop, 'ekspres')).body).not.toContain('Zuzanna');
  });
});
