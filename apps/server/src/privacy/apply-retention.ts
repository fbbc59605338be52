import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { erasureDelivery } from '../ingest/api-event.ts';
import { InboxWriter } from '../ingest/inbox-writer.ts';
import { getRetention } from './privacy-settings.ts';

const DAY_MS = 86_400_000;
/** Customers erased per shop and day at most; the rest follow on the next days. */
const ERASURES_PER_DAY = 5_000;

/**
 * The shop's retention policy, once a day (docs/privacy.md):
 * - raw deliveries handled longer ago than `rawEventsDays` are deleted (their effects stay);
 * - messages older than `messageBodiesDays` lose subject, text and variables, and their
 *   outbox copies go (the log of what was sent when stays);
 * - visit logs older than `visitLogsDays` (referral and affiliate link visits, sightings, message
 *   opens and clicks) lose client addresses and user agents; sightings are deleted;
 * - customers with no order, activity or change for `inactiveCustomerYears` are erased by the
 *   same erasure as a person's request (a `customer.erased` event, basis "retention").
 * Returns how many rows it changed and erasures it queued. Safe to repeat.
 */
export async function applyRetention(db: Db, clock: Clock, shopId: string): Promise<number> {
  const settings = await getRetention(db, shopId);
  const now = clock.now();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  let changed = 0;
  const count = (r: { numAffectedRows?: bigint }) => (changed += Number(r.numAffectedRows ?? 0));

  if (settings.rawEventsDays !== null) {
    count(
      await sql`
        DELETE FROM inbound_events WHERE shop_id = ${shopId}
          AND status IN ('processed', 'ignored', 'failed')
          AND received_at < ${before(settings.rawEventsDays)}`.execute(db),
    );
  }
  if (settings.messageBodiesDays !== null) {
    const cutoff = before(settings.messageBodiesDays);
    count(
      await sql`
        DELETE FROM mail_outbox o USING messages m
        WHERE m.shop_id = ${shopId} AND o.shop_id = m.shop_id AND o.message_id = m.id
          AND m.created_at < ${cutoff} AND m.status <> 'queued'`.execute(db),
    );
    count(
      await sql`
        UPDATE messages SET subject = NULL, body_text = NULL, variables = '{}'
        WHERE shop_id = ${shopId} AND created_at < ${cutoff} AND status <> 'queued'
          AND (subject IS NOT NULL OR body_text IS NOT NULL OR variables <> '{}')`.execute(db),
    );
  }
  if (settings.visitLogsDays !== null) {
    const cutoff = before(settings.visitLogsDays);
    for (const table of ['referral_visits', 'affiliate_visits'] as const) {
      count(
        await sql`
          UPDATE ${sql.table(table)} SET client_address = NULL, user_agent = NULL
          WHERE shop_id = ${shopId} AND visited_at < ${cutoff}
            AND (client_address IS NOT NULL OR user_agent IS NOT NULL)`.execute(db),
      );
    }
    count(
      await sql`DELETE FROM referral_sightings WHERE shop_id = ${shopId} AND seen_at < ${cutoff}`.execute(
        db,
      ),
    );
    count(
      await sql`
        UPDATE message_events SET client_address = NULL, url = NULL
        WHERE shop_id = ${shopId} AND at < ${cutoff}
          AND (client_address IS NOT NULL OR url IS NOT NULL)`.execute(db),
    );
  }
  if (settings.inactiveCustomerYears !== null) {
    const years = settings.inactiveCustomerYears;
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
    const { rows } = await sql<{ external_id: string }>`
      SELECT c.external_id FROM customers c
      WHERE c.shop_id = ${shopId} AND c.redacted_at IS NULL
        AND c.created_at < ${cutoff} AND c.updated_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = c.shop_id
                        AND o.customer_id = c.id AND o.placed_at >= ${cutoff})
        AND NOT EXISTS (SELECT 1 FROM customer_activities a WHERE a.shop_id = c.shop_id
                        AND a.customer_id = c.id AND a.occurred_at >= ${cutoff})
        AND NOT EXISTS (SELECT 1 FROM inbound_events e WHERE e.shop_id = c.shop_id
                        AND e.topic = 'customer.erased' AND e.status IN ('pending', 'waiting')
                        AND position(convert_to(c.external_id, 'UTF8') IN e.body) > 0)
      ORDER BY c.id
      LIMIT ${ERASURES_PER_DAY}`.execute(db);
    const inbox = new InboxWriter(db);
    for (const { external_id } of rows) {
      await inbox.write(
        erasureDelivery(shopId, external_id, now, {
          by: 'retention policy',
          basis: `retention: no order or activity for ${years} years`,
        }),
      );
    }
    changed += rows.length;
  }
  return changed;
}
