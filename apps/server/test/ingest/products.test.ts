import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, postEvent, type TestApp } from '../support/app.ts';

describe('the catalogue from product.updated events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the newest description of each product, whatever order they arrive in', async () => {
    const shop = await createTestShop(t);
    const product = (name: string, occurredAt: string, price: number) => ({
      type: 'product.updated',
      id: `kubek@${occurredAt}`,
      occurredAt,
      data: {
        id: 'kubek-1',
        name,
        url: 'https://sklep.example.pl/kubek',
        imageUrl: 'https://sklep.example.pl/kubek.jpg',
        price,
        currency: 'PLN',
        categoryIds: ['akcesoria'],
      },
    });
    expect(
      (await postEvent(t, shop, product('Kubek 300 ml', '2026-03-02T10:00:00Z', 4900))).statusCode,
    ).toBe(202);
    await t.processor.drain();
    // An older description delivered late does not win.
    expect(
      (await postEvent(t, shop, product('Kubek', '2026-03-01T10:00:00Z', 3900))).statusCode,
    ).toBe(202);
    await t.processor.drain();
    const row = await t.db
      .selectFrom('products')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      external_id: 'kubek-1',
      name: 'Kubek 300 ml',
      price: 4900,
      currency: 'PLN',
      category_ids: ['akcesoria'],
      image_url: 'https://sklep.example.pl/kubek.jpg',
      active: true,
    });
    const bad = await postEvent(t, shop, {
      type: 'product.updated',
      data: { id: 'x', name: '', price: -1, url: 'javascript:alert(1)' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: Array<{ path: string }> }>()
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['data.name', 'data.price', 'data.url']);
  });
});
