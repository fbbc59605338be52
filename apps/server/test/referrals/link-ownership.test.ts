import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  createTestApp,
  createTestShop,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { call } from '../points/support.ts';
import { codeOf, signUp } from './support.ts';

// Audit H3: a code is unique only within its shop, so a link must never depend on what other
// shops create.
const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let a: Awaited<ReturnType<typeof createTestShop>>;
let b: Awaited<ReturnType<typeof createTestShop>>;
let code: string;

const follow = (url: string) => t.app.inject({ method: 'GET', url });
/** Where a link sends the visitor: the storefront's host, or the status when it does not. */
async function leadsTo(url: string): Promise<string | number> {
  const res = await follow(url);
  return res.statusCode === 302 ? new URL(res.headers.location as string).host : res.statusCode;
}
const later = (minutes: number) =>
  clock.set(new Date(clock.now().getTime() + minutes * 60_000).toISOString());

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.sklep.pl' } });
  a = await createTestShop(t, 'Sklep Ziutki');
  b = await createTestShop(t, 'Sklep Ziutki');
  for (const [shop, storefrontUrl] of [
    [a, 'https://ziutka.pl/'],
    [b, 'https://konkurencja.pl/'],
  ] as const) {
    const res = await call(t, shop, 'PUT', '/v1/referrals/storefront', { storefrontUrl });
    expect(res.statusCode, res.body).toBe(200);
  }
  await signUp(t, a, 'ziutka', { firstName: 'Ziutka' });
  code = await codeOf(t, a, 'ziutka');
});
afterAll(() => t.close());

describe('referral links and their shop', () => {
  it('gives every shop a slug from its name, numbered when another shop has it', () => {
    expect(a.slug).toBe('sklep-ziutki');
    expect(b.slug).toBe('sklep-ziutki-2');
  });

  it("keeps a shop's link leading to it after another shop creates an affiliate with the same code", async () => {
    expect(await leadsTo(`/r/${code}`)).toBe('ziutka.pl');
    later(5);
    const squat = await call(t, b, 'POST', '/v1/affiliates', {
      name: 'squatter',
      commissionPercent: 1,
      code,
    });
    expect(squat.statusCode, squat.body).toBe(201);

    expect(await leadsTo(`/r/${code}`)).toBe('ziutka.pl');
    expect(await leadsTo(`/r/${code.toLowerCase()}`)).toBe('ziutka.pl');
    expect(await leadsTo(`/r/sklep-ziutki/${code}`)).toBe('ziutka.pl');
    expect(await leadsTo(`/r/${a.id}/${code}`)).toBe('ziutka.pl');
    // B's own link names B, and reaches B's affiliate.
    expect(squat.json().link).toBe(`https://lojal.sklep.pl/r/sklep-ziutki-2/${code}`);
    const own = await follow(`/r/sklep-ziutki-2/${code}`);
    expect(new URL(own.headers.location as string).host).toBe('konkurencja.pl');
    expect(new URL(own.headers.location as string).searchParams.get('lojal_visit')).toMatch(
      /^afv_/,
    );
    expect(await leadsTo(`/r/${code}?shop=sklep-ziutki-2`)).toBe('konkurencja.pl');
    expect(await leadsTo(`/r/${code}?shop=${b.id}`)).toBe('konkurencja.pl');

    const archived = await call(t, b, 'PUT', `/v1/affiliates/${squat.json().id}`, {
      name: 'squatter',
      commissionPercent: 1,
      archived: true,
    });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(await leadsTo(`/r/${code}`)).toBe('ziutka.pl');
    expect(await leadsTo(`/r/sklep-ziutki-2/${code}`)).toBe(404);
  });

  it('never hands a link to another shop when the shop that claimed its code first archives it', async () => {
    later(5);
    const first = await call(t, a, 'POST', '/v1/affiliates', {
      name: 'Influencerka',
      commissionPercent: 5,
      code: 'INFLUA',
    });
    expect(first.statusCode, first.body).toBe(201);
    later(5);
    const second = await call(t, b, 'POST', '/v1/affiliates', {
      name: 'Ktoś inny',
      commissionPercent: 5,
      code: 'influa',
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(await leadsTo('/r/INFLUA')).toBe('ziutka.pl');

    await call(t, a, 'PUT', `/v1/affiliates/${first.json().id}`, {
      name: 'Influencerka',
      commissionPercent: 5,
      archived: true,
    });
    expect(await leadsTo('/r/INFLUA')).toBe(404);
    expect(await leadsTo('/r/sklep-ziutki/INFLUA')).toBe(404);
    expect(await leadsTo('/r/sklep-ziutki-2/INFLUA')).toBe('konkurencja.pl');
  });

  it('hands out links that name the shop: share messages and affiliate links', async () => {
    const share = await call(t, a, 'GET', '/v1/customers/ziutka/referrals/share-messages');
    expect(share.statusCode, share.body).toBe(200);
    expect(share.json().link).toBe(`https://lojal.sklep.pl/r/sklep-ziutki/${code}`);
    const list = await call(t, a, 'GET', '/v1/affiliates');
    for (const affiliate of list.json().data) {
      expect(affiliate.link).toBe(`https://lojal.sklep.pl/r/sklep-ziutki/${affiliate.code}`);
    }
    const shop = await call(t, a, 'GET', '/v1/shop');
    expect(shop.json().slug).toBe('sklep-ziutki');
  });

  it('answers 404 for a link naming an unknown shop, or a shop without the code', async () => {
    expect(await leadsTo(`/r/nie-ma-takiego/${code}`)).toBe(404);
    await signUp(t, a, 'jola', { firstName: 'Jola' });
    const jola = await codeOf(t, a, 'jola');
    expect(await leadsTo(`/r/sklep-ziutki-2/${jola}`)).toBe(404);
    expect(await leadsTo(`/r/${jola}?shop=sklep-ziutki-2`)).toBe(404);
    expect(await leadsTo(`/r/sklep-ziutki/${jola}`)).toBe('ziutka.pl');
  });

  it('lets the operator choose a slug, and refuses one another shop has or a malformed one', async () => {
    const create = (body: object) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/shops',
        headers: bearer(ADMIN_TOKEN),
        payload: { name: 'Kawiarnia Łódź', ...body },
      });
    const named = await create({});
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json().slug).toBe('kawiarnia-lodz');
    const chosen = await create({ slug: 'kawa-u-zosi' });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json().slug).toBe('kawa-u-zosi');
    expect((await create({ slug: 'kawa-u-zosi' })).statusCode).toBe(409);
    const bad = await create({ slug: 'Zła nazwa!' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('slug');
  });
});
