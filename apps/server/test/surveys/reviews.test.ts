import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, points, publish, send } from '../points/support.ts';

const clock = fixedClock('2026-04-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const pngDataUrl = `data:image/png;base64,${PNG.toString('base64')}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

type Review = { id: string; status: string; hasPhoto: boolean; photoUrl: string | null };

async function review(body: object) {
  const res = await call(t, shop, 'POST', '/v1/reviews', { customerId: 'ela', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Review;
}

const pending = async (query = '') =>
  (await call(t, shop, 'GET', `/v1/reviews?status=pending${query}`)).json() as {
    data: Review[];
    nextCursor: string | null;
  };

const photoPath = (photoUrl: string) => new URL(photoUrl).pathname;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z kubkami');
  other = await createTestShop(t, 'Inny sklep');
  await publish(t, shop, {
    rules: [{ id: 'review', code: 'review', args: { points: 10, withPhotoPoints: 25 } }],
  });
  await send(
    t,
    shop,
    {
      type: 'customer.created',
      id: 'c-ela',
      data: { id: 'ela', firstName: 'Ela', lastName: 'Nowak' },
    },
    orderPaid('o-1', 'ela', '2026-03-30T10:00:00Z', {
      total: 9000,
      lines: [
        { productId: 'kubek', quantity: 2, price: 2000 },
        { productId: 'czajnik', quantity: 1, price: 5000 },
      ],
    }),
  );
});
afterAll(() => t.close());

describe('the review request page', () => {
  let page: string;

  it('asks about the products of the order and the shop, a form each', async () => {
    const res = await call(t, shop, 'POST', '/v1/review-requests', {
      customerId: 'ela',
      orderId: 'o-1',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().productIds).toEqual(['kubek', 'czajnik']);
    page = new URL(res.json().url).pathname;
    const html = await t.app.inject({ method: 'GET', url: page });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Oceń 2 produkty i nasz sklep.');
    expect(html.body.match(/<form /g)).toHaveLength(3);
    expect(html.body).toContain('value="product:kubek"');
    expect(html.body).toContain('value="shop"');
  });

  it('stores a review with an uploaded photo as pending', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: page,
      headers: form,
      payload: new URLSearchParams({
        target: 'product:kubek',
        rating: '5',
        title: 'Świetny <kubek>',
        body: 'Trzyma ciepło.',
        photo: pngDataUrl,
      }).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Dziękujemy! Twoja opinia czeka na zatwierdzenie.');
    expect(res.body).toContain('value="Świetny &lt;kubek&gt;"');
    const [row] = (await pending()).data;
    expect(row).toMatchObject({ status: 'pending', hasPhoto: true, rating: 5, productId: 'kubek' });
  });

  it('refuses a photo that is not an image, and a missing rating, saying why in Polish', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: page,
      headers: form,
      payload: new URLSearchParams({
        target: 'shop',
        body: 'Miło',
        photo: 'data:text/html;base64,PHNjcmlwdD4=',
      }).toString(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Wybierz ocenę od 1 do 5.');
    expect(res.body).toContain('Zdjęcie musi być obrazem JPEG, PNG lub WebP.');
    expect((await pending()).data).toHaveLength(1);
  });

  it('answers 404 for a forged link', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${page.slice(0, -3)}abc` });
    expect(res.statusCode).toBe(404);
  });
});

describe('reviews through the API', () => {
  it('refuses a data URL that is not an image with a precise error, storing nothing', async () => {
    const before = (await pending()).data.length;
    for (const [photo, message] of [
      [
        'data:text/plain;base64,aGVsbG8=',
        'is a data URL of type "text/plain"; only image/jpeg, image/png and image/webp are accepted',
      ],
      [
        `data:image/png;base64,${Buffer.from('GIF89a-not-a-png').toString('base64')}`,
        'declares image/png but its content is not a PNG image',
      ],
      [
        `data:image/webp;base64,${PNG.toString('base64')}`,
        'declares image/webp but contains a PNG image',
      ],
      [
        `data:image/jpeg;base64,${Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]).toString('base64')}`,
        'is larger than the limit of 2 MB',
      ],
    ]) {
      const res = await call(t, shop, 'POST', '/v1/reviews', {
        customerId: 'ela',
        productId: 'czajnik',
        rating: 4,
        photo,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toEqual([{ path: 'photo', message }]);
    }
    expect((await pending()).data).toHaveLength(before);
  });

  it('names the field when a product review has no product', async () => {
    const res = await call(t, shop, 'POST', '/v1/reviews', { customerId: 'ela', rating: 4 });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'productId' })]);
  });

  it('keeps pending photos private and lists the queue a page at a time', async () => {
    await review({ target: 'shop', rating: 3, body: 'Dostawa trwała długo.' });
    await review({ productId: 'czajnik', rating: 4, photoUrl: 'https://cdn.example.pl/c.jpg' });
    const first = await pending('&limit=2');
    expect(first.data).toHaveLength(2);
    const second = await pending(`&limit=2&cursor=${first.nextCursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const all = [...first.data, ...second.data];
    expect(new Set(all.map((r) => r.id)).size).toBe(3);

    const uploaded = all.find((r) => r.photoUrl?.includes('/v1/reviews/'))!;
    const url = photoPath(uploaded.photoUrl!);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const own = await t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.rawPayload.equals(PNG)).toBe(true);
    const theirs = await t.app.inject({ method: 'GET', url, headers: bearer(other.apiKey) });
    expect(theirs.statusCode).toBe(404);
  });
});

describe('moderation and points', () => {
  it('gives the review points once, however often and however concurrently approve is called', async () => {
    const withPhoto = (await pending()).data.find(
      (r) => r.hasPhoto && !r.photoUrl?.startsWith('https://cdn'),
    )!;
    const results = await Promise.all(
      [1, 2, 3].map(() => call(t, shop, 'POST', `/v1/reviews/${withPhoto.id}/approve`)),
    );
    for (const res of results) expect(res.statusCode, res.body).toBe(200);
    expect(new Set(results.map((r) => r.json().eventId)).size).toBe(1);
    await t.processor.drain();
    expect((await call(t, shop, 'POST', `/v1/reviews/${withPhoto.id}/approve`)).statusCode).toBe(
      200,
    );
    await t.processor.drain();
    expect((await points(t, shop, 'ela')).lifetimeEarned).toBe(25);
    // Approved photos are public: a storefront <img> sends no key.
    const photo = await t.app.inject({ method: 'GET', url: photoPath(withPhoto.photoUrl!) });
    expect(photo.statusCode).toBe(200);
  });

  it('gives nothing for a rejection, and points when a rejected review is approved after all', async () => {
    const shopReview = (await pending()).data.find((r) => r.photoUrl === null)!;
    const rejected = await call(t, shop, 'POST', `/v1/reviews/${shopReview.id}/reject`, {
      note: 'Do wyjaśnienia',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', moderationNote: 'Do wyjaśnienia' });
    await t.processor.drain();
    expect((await points(t, shop, 'ela')).lifetimeEarned).toBe(25);

    const approved = await call(t, shop, 'POST', `/v1/reviews/${shopReview.id}/approve`);
    expect(approved.json()).toMatchObject({ status: 'approved', moderationNote: null });
    await t.processor.drain();
    expect((await points(t, shop, 'ela')).lifetimeEarned).toBe(35);
  });

  it('shows only approved reviews on the product, with their count and average', async () => {
    const czajnik = (await pending()).data.find((r) => r.photoUrl?.startsWith('https://cdn'))!;
    await call(t, shop, 'POST', `/v1/reviews/${czajnik.id}/reject`, {});
    await review({ productId: 'kubek', rating: 2 }); // still pending
    const res = await call(t, shop, 'GET', '/v1/products/kubek/reviews');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ productId: 'kubek', count: 1, averageRating: 5 });
    expect(res.json().data).toEqual([
      expect.objectContaining({ rating: 5, title: 'Świetny <kubek>', author: 'Ela N.' }),
    ]);
    expect((await call(t, shop, 'GET', '/v1/products/czajnik/reviews')).json()).toMatchObject({
      count: 0,
      averageRating: null,
      data: [],
    });
  });

  it('shows the moderated state on the request page instead of the form', async () => {
    const rows = await t.db.selectFrom('review_requests').select(['id']).execute();
    expect(rows).toHaveLength(1);
    // Re-sending the form of an approved review is refused.
    const url = (
      await call(t, shop, 'POST', '/v1/review-requests', {
        customerId: 'ela',
        productIds: ['kubek'],
      })
    ).json().url as string;
    const path = new URL(url).pathname;
    const ok = await t.app.inject({
      method: 'POST',
      url: path,
      headers: form,
      payload: 'target=product%3Akubek&rating=4',
    });
    expect(ok.statusCode).toBe(200);
    const [fresh] = (await pending()).data.filter((r) => r.id !== undefined).slice(-1);
    await call(t, shop, 'POST', `/v1/reviews/${fresh!.id}/approve`);
    const again = await t.app.inject({
      method: 'POST',
      url: path,
      headers: form,
      payload: 'target=product%3Akubek&rating=1',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Dziękujemy! Twoja opinia została opublikowana.');
  });

  it("answers 404 for another shop's review", async () => {
    const [any] = (await call(t, shop, 'GET', '/v1/reviews?status=approved')).json().data;
    for (const [method, url] of [
      ['POST', `/v1/reviews/${any.id}/approve`],
      ['POST', `/v1/reviews/${any.id}/reject`],
      ['GET', `/v1/reviews/${any.id}`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: bearer(other.apiKey),
        ...(method === 'POST' && { payload: {} }),
      });
      expect(res.statusCode, url).toBe(404);
    }
    expect((await call(t, shop, 'GET', `/v1/reviews/${any.id}`)).json().status).toBe('approved');
  });
});
