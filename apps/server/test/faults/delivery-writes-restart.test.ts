import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryWrites, recordSent } from '../../src/automations/delivery-writes.ts';
import { provisionShop } from '../../src/app/provision-shop.ts';
import { connect, type Db } from '../../src/db/connect.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { SecretBox } from '../../src/shared/secrets.ts';
import { messagesHeldBy, sentOutcome } from '../automations/held-messages.ts';
import { startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.ts';

// The outcomes of mails the SMTP server already took, written while PostgreSQL restarts: the
// batched write must wait for it as the single-row one did, or those mails stay in doubt.
let cluster: ThrowawayCluster;
let db: Db;
let shopId: string;

beforeAll(async () => {
  cluster = await startThrowawayCluster();
  ({ db } = connect(await cluster.createDatabase(), 4));
  const clock = fixedClock('2028-02-29T23:30:00Z');
  const shop = await provisionShop(db, clock, new SecretBox(Buffer.alloc(32, 5)), {
    name: 'Sklep Restart',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  shopId = shop.id;
}, 180_000);

afterAll(async () => {
  await db?.destroy();
  await cluster?.destroy();
});

async function statuses(prefix: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM messages
    WHERE shop_id = ${shopId} AND id LIKE ${prefix + '%'} GROUP BY status`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe('recording sent messages while PostgreSQL restarts', () => {
  it('outcomes written in batches while the database is down are all recorded once it is back', async () => {
    const direct = await messagesHeldBy(db, shopId, 'd', 10, 'sending', 'tok-a');
    const shared = await messagesHeldBy(db, shopId, 's', 24, 'sending', 'tok-a');
    const writes = deliveryWrites(db, fixedClock('2028-02-29T23:30:00Z'));

    await cluster.stop();
    // One statement for ten outcomes, and 24 senders sharing the group-committed writer, all
    // while nothing answers.
    const batch = recordSent(
      db,
      direct.map((m) => sentOutcome(m)),
    );
    const senders = Promise.all(shared.map((m) => writes.recordSent(sentOutcome(m))));
    await new Promise((r) => setTimeout(r, 2_000));
    await cluster.start();

    expect(await batch).toEqual(direct.map(() => null));
    expect((await senders).every((e) => e === null)).toBe(true);
    expect(await statuses('d')).toEqual({ sent: 10 });
    expect(await statuses('s')).toEqual({ sent: 24 });
  }, 120_000);

  it('the sending mark made while the database is down fails, so nothing is handed over unmarked', async () => {
    const claimed = await messagesHeldBy(db, shopId, 'm', 3, 'claimed', 'tok-b');
    const writes = deliveryWrites(db, fixedClock('2028-02-29T23:30:00Z'));
    await cluster.stop();
    try {
      const marks = await Promise.allSettled(claimed.map((m) => writes.markSending(m)));
      expect(marks.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    } finally {
      await cluster.start();
    }
    // Still claimed: they go out after the lease, once.
    expect(await statuses('m')).toEqual({ claimed: 3 });
  }, 120_000);
});
