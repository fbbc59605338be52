import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';

const clock = fixedClock('2026-04-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

interface Shown {
  id: string;
  rating: number;
  title: string | null;
  body: string | null;
  author: string | null;
  date: string;
  photoUrls: string[];
}
interface Answer {
  product: { id: string; name: string | null; rating: Rating } | null;
  shop: { id: string; name: string; rating: Rating };
  reviews: Shown[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
  jsonLd: {
    aggregateRating?: { ratingValue: number; reviewCount: number };
    review?: unknown[];
    [key: string]: unknown;
  } | null;
}
interface Rating {
  average: number | null;
  count: number;
  histogram: Record<string, number>;
}

async function reviews(s: { id: string }, query: string): Promise<Answer> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/storefront/v1/shops/${s.id}/reviews?${query}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A review written on a given day, then approved, rejected or left waiting. */
async function review(
  day: string,
  body: Record<string, unknown>,
  decision: 'approve' | 'reject' | null = 'approve',
) {
  clock.set(`2026-03-${day}T09:00:00Z`);
  const res = await call(t, shop, 'POST', '/v1/reviews', body);
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  if (decision) {
    clock.set(`2026-03-${day}T12:00:00Z`);
    const done = await call(t, shop, 'POST', `/v1/reviews/${id}/${decision}`, {});
    expect(done.statusCode, done.body).toBe(200);
  }
  return id;
}

const person = (id: string, firstName: string, lastName: string) => ({
  type: 'customer.created',
  id: `c-${id}`,
  data: { id, firstName, lastName },
});

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z kubkami');
  other = await createTestShop(t, 'Inny sklep');
  await send(
    t,
    shop,
    person('ela', 'Ela', 'Nowak'),
    person('jan', 'Jan', 'Kowalski'),
    person('ola', 'Ola', 'Zielińska'),
    person('iza', 'Iza', 'Wrona'),
    {
      type: 'order.paid',
      id: 'o-1',
      occurredAt: '2026-03-01T10:00:00Z',
      data: {
        id: 'o-1',
        customer: { id: 'ela' },
        currency: 'PLN',
        total: 4000,
        createdAt: '2026-03-01T10:00:00Z',
        lines: [{ productId: 'kubek', quantity: 1, price: 4000 }],
      },
    },
  );
  const kubek = { productId: 'kubek' };
  await review('10', {
    ...kubek,
    customerId: 'ela',
    rating: 5,
    title: 'Piękny',
    body: 'Trzyma ciepło.',
    photoUrl: 'https://img.example.com/kubek.jpg',
  });
  await review('11', { ...kubek, customerId: 'jan', rating: 3, body: 'Może być.' });
  await review('12', { ...kubek, customerId: 'ola', rating: 4, body: 'Ładny kolor.' });
  await review('13', { ...kubek, customerId: 'iza', rating: 1, body: 'Odprysk na brzegu.' });
  await review('14', { ...kubek, customerId: 'jan', rating: 2, body: 'CZEKA NA MODERACJĘ' }, null);
  await review(
    '15',
    { ...kubek, customerId: 'ola', rating: 5, body: 'ODRZUCONA RECENZJA' },
    'reject',
  );
  await review('16', { target: 'shop', customerId: 'ela', rating: 5, body: 'Szybka wysyłka.' });
  await review('17', { target: 'shop', customerId: 'jan', rating: 4, body: 'Dobry kontakt.' });
  clock.set('2026-04-01T10:00:00Z');
});
afterAll(() => t.close());

describe("a product's reviews on the storefront", () => {
  it('shows approved reviews only, newest first, with first name and initial', async () => {
    const answer = await reviews(shop, 'product=kubek');
    expect(answer.reviews.map((r) => [r.rating, r.author, r.date])).toEqual([
      [1, 'Iza W.', '2026-03-13'],
      [4, 'Ola Z.', '2026-03-12'],
      [3, 'Jan K.', '2026-03-11'],
      [5, 'Ela N.', '2026-03-10'],
    ]);
    const text = JSON.stringify(answer);
    expect(text).not.toContain('CZEKA NA MODERACJĘ');
    expect(text).not.toContain('ODRZUCONA');
    expect(text).not.toContain('Nowak');
    expect(answer.reviews[3]).toMatchObject({
      title: 'Piękny',
      body: 'Trzyma ciepło.',
      photoUrls: ['https://img.example.com/kubek.jpg'],
    });
  });

  it("gives the product's and the shop's rating: average, count and histogram", async () => {
    const answer = await reviews(shop, 'product=kubek');
    expect(answer.product).toEqual({
      id: 'kubek',
      // API events carry no line titles; Shopify's do (the widget names it from the page).
      name: null,
      rating: { average: 3.25, count: 4, histogram: { '1': 1, '2': 0, '3': 1, '4': 1, '5': 1 } },
    });
    expect(answer.shop.rating).toEqual({
      average: 4.5,
      count: 2,
      histogram: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 },
    });
  });

  it('sorts by highest, lowest, and with photos first', async () => {
    const ratings = async (sort: string) =>
      (await reviews(shop, `product=kubek&sort=${sort}`)).reviews.map((r) => r.rating);
    expect(await ratings('highest')).toEqual([5, 4, 3, 1]);
    expect(await ratings('lowest')).toEqual([1, 3, 4, 5]);
    expect(await ratings('photos')).toEqual([5, 1, 4, 3]);
  });

  it('pages through them', async () => {
    const first = await reviews(shop, 'product=kubek&pageSize=3');
    const second = await reviews(shop, 'product=kubek&pageSize=3&page=2');
    expect(first).toMatchObject({ page: 1, pageSize: 3, total: 4, totalPages: 2 });
    expect(first.reviews.map((r) => r.author)).toEqual(['Iza W.', 'Ola Z.', 'Jan K.']);
    expect(second.reviews.map((r) => r.author)).toEqual(['Ela N.']);
    expect((await reviews(shop, 'product=kubek&pageSize=3&page=3')).reviews).toEqual([]);
  });

  it('gives JSON-LD whose numbers are those of the reviews', async () => {
    const answer = await reviews(shop, 'product=kubek&sort=highest');
    const ld = answer.jsonLd!;
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'kubek',
      productID: 'kubek',
      aggregateRating: {
        '@type': 'AggregateRating',
        ratingValue: 3.25,
        reviewCount: 4,
        bestRating: 5,
        worstRating: 1,
      },
    });
    const ratings = answer.reviews.map((r) => r.rating);
    expect(ratings.reduce((a, b) => a + b, 0) / ratings.length).toBe(
      ld.aggregateRating!.ratingValue,
    );
    expect(ld.review).toEqual(
      answer.reviews.map((r) => ({
        '@type': 'Review',
        reviewRating: { '@type': 'Rating', ratingValue: r.rating, bestRating: 5, worstRating: 1 },
        author: { '@type': 'Person', name: r.author },
        datePublished: r.date,
        ...(r.title && { name: r.title }),
        reviewBody: r.body,
      })),
    );
  });

  it('without a product shows the reviews of the shop itself', async () => {
    const answer = await reviews(shop, '');
    expect(answer.product).toBeNull();
    expect(answer.jsonLd).toBeNull();
    expect(answer.reviews.map((r) => r.body)).toEqual(['Dobry kontakt.', 'Szybka wysyłka.']);
  });

  it("shows another shop nothing of this shop's reviews of a product with the same id", async () => {
    const answer = await reviews(other, 'product=kubek');
    expect(answer.reviews).toEqual([]);
    expect(answer.product!.rating).toEqual({
      average: null,
      count: 0,
      histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
    expect(answer.shop.rating.count).toBe(0);
    // No stars for search engines without reviews.
    expect(answer.jsonLd).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'kubek',
      productID: 'kubek',
    });
    expect(JSON.stringify(answer)).not.toContain('Trzyma');
  });

  it('refuses an unknown sort with a problem naming the field', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/reviews?product=kubek&sort=best`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('query.sort');
  });
});
