import { expect } from 'vitest';
import { newId } from '../../src/shared/ids.ts';
import type { TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';

export { call };

export type Shop = { id: string; apiKey: string };

/** A customer as the shop's platform reports it, applied by the processor. */
export async function addCustomer(t: TestApp, shop: Shop, data: Record<string, unknown>) {
  const res = await call(t, shop, 'POST', '/v1/events', {
    type: 'customer.created',
    id: `c-${String(data.id)}`,
    occurredAt: new Date().toISOString(),
    data,
  });
  expect(res.statusCode, res.body).toBe(202);
  await t.processor.drain();
  return t.db
    .selectFrom('customers')
    .select(['id', 'external_id'])
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', String(data.id))
    .executeTakeFirstOrThrow();
}

/** A message the engine already handed to the provider. */
export async function sentMessage(
  t: TestApp,
  shop: Shop,
  customerId: string,
  fields: { channel: 'email' | 'sms' | 'webhook'; purpose: 'marketing' | 'loyalty'; to: string },
) {
  const id = newId('msg');
  const now = new Date();
  await t.db
    .insertInto('messages')
    .values({
      shop_id: shop.id,
      id,
      send_key: `test:${id}`,
      customer_id: customerId,
      channel: fields.channel,
      purpose: fields.purpose,
      template_key: 'birthday',
      locale: 'pl',
      to_address: fields.to,
      status: 'sent',
      not_before: now,
      created_at: now,
      sent_at: now,
    })
    .execute();
  return id;
}
