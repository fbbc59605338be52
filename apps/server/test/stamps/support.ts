import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';

export type Shop = { id: string; apiKey: string };

export async function createCustomer(t: TestApp, shop: Shop, customerId: string) {
  await send(t, shop, {
    type: 'customer.created',
    id: `c-${customerId}`,
    data: { id: customerId, email: `${customerId}@example.com` },
  });
}

export async function createProgramme(t: TestApp, shop: Shop, programme: object) {
  const res = await call(t, shop, 'POST', '/v1/stamp-cards', programme);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

export async function createStaff(t: TestApp, shop: Shop, name = 'Ola') {
  const res = await call(t, shop, 'POST', '/v1/staff', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string };
}

export async function qrFor(t: TestApp, shop: Shop, customerId: string): Promise<string> {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}/stamp-qr`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().payload as string;
}

export function scan(t: TestApp, staffToken: string, payload: string, programmeId?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/stamps/scan',
    headers: { authorization: `Bearer ${staffToken}` },
    payload: { payload, ...(programmeId && { programmeId }) },
  });
}

export async function cards(t: TestApp, shop: Shop, customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}/stamp-cards`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Array<{
    programmeId: string;
    stamps: number;
    stampsRequired: number;
    completedCards: number;
    cardNumber: number;
    stampsToday: number;
    lastStampAt: string | null;
  }>;
}

export const coffeeCard = {
  name: { pl: 'Karta kawowa', en: 'Coffee card' },
  stampsRequired: 3,
  earnBy: 'visit',
  dailyLimit: 2,
  reward: {
    type: 'coupon',
    name: { pl: 'Darmowa kawa', en: 'Free coffee' },
    discount: { kind: 'free_product', productId: 'kawa' },
  },
};
