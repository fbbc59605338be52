import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { localDay, localParts, zonedTime } from '../shared/zoned-time.ts';
import { celebratingCustomers } from '../customers/celebrating-customers.ts';
import { activeFlows } from './active-flows.ts';
import { recordTrigger, type AutomationTrigger } from '../events/record-trigger.ts';

/** A dormant customer missed while the scan was not running is still found this many days on. */
const DORMANT_CATCH_UP_DAYS = 7;

/**
 * The triggers time brings, for one shop on its local calendar day: birthdays, name days,
 * points expiring in N days, customers dormant for N days. Each trigger names its flow and
 * carries a key (`birthday:2026`, `dormant:<last order>`) so a second scan the same day, or a
 * restart, starts no second run. Returns the triggers recorded.
 */
export async function scanTimeTriggers(db: Db, clock: Clock, shopId: string): Promise<number> {
  const flows = (await activeFlows(db, [shopId])).filter((f) =>
    ['birthday', 'name_day', 'points.expiring', 'customer.dormant'].includes(
      f.definition.trigger.type,
    ),
  );
  if (flows.length === 0) return 0;
  const now = clock.now();
  const shop = await db
    .selectFrom('shops')
    .select('timezone')
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const tz = shop.timezone;
  const today = localDay(now, tz);
  const { year } = localParts(now, tz);
  const triggers: AutomationTrigger[] = [];
  const add = (flowId: string, customerIds: string[], key: (id: string) => string, data = {}) => {
    for (const customerId of customerIds)
      triggers.push({
        shopId,
        customerId,
        type: '',
        data: { flowId, key: key(customerId), ...data },
        at: now,
      });
  };

  for (const flow of flows) {
    const t = flow.definition.trigger;
    let found: Array<{ id: string; key: string }> = [];
    if (t.type === 'birthday') {
      found = (
        await celebratingCustomers(db, shopId, today, { birthday: true, nameDay: false })
      ).map((r) => ({ id: r.id, key: `birthday:${year}` }));
    } else if (t.type === 'name_day') {
      found = (
        await celebratingCustomers(db, shopId, today, { birthday: false, nameDay: true })
      ).map((r) => ({ id: r.id, key: `name_day:${today}` }));
    } else if (t.type === 'points.expiring') {
      const [y, m, d] = today.split('-').map(Number);
      const from = zonedTime(tz, y!, m!, d! + t.days);
      const to = zonedTime(tz, y!, m!, d! + t.days + 1);
      found = (
        await sql<{ id: string }>`
          SELECT DISTINCT customer_id AS id FROM point_lots
          WHERE shop_id = ${shopId} AND remaining > 0 AND available_at <= ${now}
            AND expires_at >= ${from} AND expires_at < ${to}`.execute(db)
      ).rows.map((r) => ({ id: r.id, key: `expiring:${localDay(from, tz)}` }));
    } else if (t.type === 'customer.dormant') {
      found = (
        await sql<{ id: string; last_order: string; day: string }>`
          SELECT DISTINCT ON (customer_id) customer_id AS id, id AS last_order,
                 (placed_at AT TIME ZONE ${tz})::date::text AS day
          FROM orders
          WHERE shop_id = ${shopId} AND customer_id IS NOT NULL AND paid_at IS NOT NULL AND cancelled_at IS NULL
          ORDER BY customer_id, placed_at DESC, id DESC`.execute(db)
      ).rows
        .filter((r) => {
          const age = daysBetween(r.day, today);
          return age >= t.days && age < t.days + DORMANT_CATCH_UP_DAYS;
        })
        .map((r) => ({ id: r.id, key: `dormant:${r.last_order}` }));
    }
    const keys = new Map(found.map((f) => [f.id, f.key]));
    add(flow.id, [...keys.keys()], (id) => keys.get(id)!);
    for (const trig of triggers) if (trig.type === '') trig.type = t.type;
  }
  await recordTrigger(db, triggers);
  return triggers.length;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
