import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryWrites, markSending, recordSent } from '../../src/automations/delivery-writes.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { messagesHeldBy, sentOutcome } from './held-messages.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function statusOf(shopId: string, prefix: string) {
  const { rows } = await sql<{ id: string; status: string }>`
    SELECT id, status FROM messages WHERE shop_id = ${shopId} AND id LIKE ${prefix + '%'} ORDER BY id`.execute(
    t.db,
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

describe('the writes a delivery round shares', () => {
  it('marks sending only the messages still held by their claim, in one statement', async () => {
    const shop = await createTestShop(t);
    const mine = await messagesHeldBy(t.db, shop.id, 'm', 3, 'claimed', 'tok-a');
    // Taken back after the lease and claimed again by another worker.
    const [taken] = await messagesHeldBy(t.db, shop.id, 'x', 1, 'claimed', 'tok-b');
    // Already being handed over by this claim (never marked twice).
    const [busy] = await messagesHeldBy(t.db, shop.id, 'y', 1, 'sending', 'tok-a');
    const now = new Date('2028-02-29T23:30:00Z');
    const answers = await markSending(t.db, now, [
      ...mine,
      { ...taken!, claim_token: 'tok-a' },
      busy!,
    ]);
    expect(answers).toEqual([true, true, true, false, false]);
    expect(await statusOf(shop.id, 'm')).toEqual({ m1: 'sending', m2: 'sending', m3: 'sending' });
    expect(await statusOf(shop.id, 'x')).toEqual({ x1: 'claimed' });
    const { rows } = await sql<{ claimed_at: Date }>`
      SELECT claimed_at FROM messages WHERE shop_id = ${shop.id} AND id = 'm1'`.execute(t.db);
    expect(rows[0]!.claimed_at.toISOString()).toBe(now.toISOString());
  });

  it('records every outcome of a batch, each under its own claim', async () => {
    const shop = await createTestShop(t, 'Sklep Dwa');
    const held = await messagesHeldBy(t.db, shop.id, 's', 4, 'sending', 'tok-a');
    const [other] = await messagesHeldBy(t.db, shop.id, 'o', 1, 'sending', 'tok-b');
    const errors = await recordSent(t.db, [
      ...held.map((m) => sentOutcome(m)),
      sentOutcome({ ...other!, claim_token: 'tok-a' }),
    ]);
    expect(errors).toEqual([null, null, null, null, null]);
    expect(await statusOf(shop.id, 's')).toEqual({
      s1: 'sent',
      s2: 'sent',
      s3: 'sent',
      s4: 'sent',
    });
    // Not this claim's message: left as its own claim has it.
    expect(await statusOf(shop.id, 'o')).toEqual({ o1: 'sending' });
    const { rows } = await sql<{ provider_id: string; sent_at: Date; subject: string }>`
      SELECT provider_id, sent_at, subject FROM messages WHERE shop_id = ${shop.id} AND id = 's3'`.execute(
      t.db,
    );
    expect(rows[0]).toEqual({
      provider_id: '250 OK s3',
      sent_at: new Date('2028-02-29T23:30:00Z'),
      subject: 'Dziękujemy za zakupy',
    });
  });

  it('an outcome the database refuses leaves the others of its batch recorded', async () => {
    const shop = await createTestShop(t, 'Sklep Trzy');
    const held = await messagesHeldBy(t.db, shop.id, 'r', 3, 'sending', 'tok-a');
    // PostgreSQL text cannot hold a NUL character: the whole statement is refused.
    const errors = await recordSent(t.db, [
      sentOutcome(held[0]!),
      sentOutcome(held[1]!, 'zły\u0000tekst'),
      sentOutcome(held[2]!),
    ]);
    expect(errors[0]).toBeNull();
    expect(errors[1]).toBeInstanceOf(Error);
    expect(errors[2]).toBeNull();
    expect(await statusOf(shop.id, 'r')).toEqual({ r1: 'sent', r2: 'sending', r3: 'sent' });
  });

  it('concurrent senders share the writes and each learns its own answer', async () => {
    const shop = await createTestShop(t, 'Sklep Cztery');
    const held = await messagesHeldBy(t.db, shop.id, 'c', 20, 'claimed', 'tok-a');
    const writes = deliveryWrites(t.db, fixedClock(new Date('2028-02-29T23:30:00Z')));
    const marked = await Promise.all(
      held.map((m, i) => writes.markSending(i === 7 ? { ...m, claim_token: 'tok-z' } : m)),
    );
    expect(marked.filter(Boolean)).toHaveLength(19);
    expect(marked[7]).toBe(false);
    const errors = await Promise.all(
      held.filter((_, i) => i !== 7).map((m) => writes.recordSent(sentOutcome(m))),
    );
    expect(errors.every((e) => e === null)).toBe(true);
    const statuses = Object.values(await statusOf(shop.id, 'c'));
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(19);
    expect(statuses.filter((s) => s === 'claimed')).toHaveLength(1);
  });
});
