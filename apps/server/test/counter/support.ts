import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { shopQrKey } from '../../src/stamps/qr-key.ts';
import { signCardPayload } from '../../src/stamps/card-qr.ts';
import type { Shop } from '../stamps/support.ts';

/** The owner makes a pairing (as the dashboard does) and the phone exchanges its code. */
export async function pairDevice(t: TestApp, shop: Shop, name: string, role = 'staff') {
  const made = await call(t, shop, 'POST', '/v1/staff/pairings', { name, role });
  expect(made.statusCode, made.body).toBe(201);
  const pairing = made.json() as { id: string; code: string; url: string; qrSvg: string };
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/counter/pair',
    payload: { code: pairing.code },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { pairing, ...(res.json() as { token: string; staff: { id: string; name: string } }) };
}

/** A request of the staff app: the device's token and, for writes, an Idempotency-Key. */
export function counter(
  t: TestApp,
  token: string,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  key?: string,
) {
  return t.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(key && { 'idempotency-key': key }),
    },
    ...(payload && { payload }),
  });
}

/** The QR code printed on a customer's loyalty card (Lojal's customer id). */
export async function cardPayload(t: TestApp, shop: Shop, externalId: string) {
  const row = await t.db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return signCardPayload(await shopQrKey(t.db, t.box, shop.id), shop.id, row.id);
}
