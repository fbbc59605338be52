import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { problems } from '../shared/errors.ts';
import { addDays } from '../shared/zoned-time.ts';
import { pointsForFact, type EarnedByRule } from './evaluate-rules.ts';
import { findDraft } from './manage-programme.ts';
import { liveProgramme } from './live-programme.ts';
import { loadOrderFacts } from './load-order-facts.ts';
import type { Programme } from './programme.ts';

const CHUNK = 2000;

/**
 * Replays the last N days of real paid orders under the draft and under the live version, with
 * the same facts and evaluator as live earning, and reports what would change: points, cost,
 * customers affected, the largest differences. Caps count from the start of the window.
 */
export async function backtestDraft(db: Db, clock: Clock, shop: ShopRow, days: number) {
  const draft = await findDraft(db, shop.id);
  if (!draft) throw problems.notFound('A draft programme');
  const live = await liveProgramme(db, shop.id);
  const to = clock.now();
  const from = addDays(to, -days);
  const orders = await sql<{
    id: string;
    external_id: string;
    customer_external_id: string;
    paid_at: Date;
  }>`
    SELECT o.id, o.external_id, c.external_id AS customer_external_id, o.paid_at
    FROM orders o JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id
    WHERE o.shop_id = ${shop.id} AND o.paid_at >= ${from} AND o.paid_at < ${to}
    ORDER BY o.paid_at, o.id`.execute(db);

  const sides = {
    live: {
      version: live.version,
      programme: live.programme,
      history: new Map<string, EarnedByRule[]>(),
    },
    draft: {
      version: draft.version,
      programme: draft.programme,
      history: new Map<string, EarnedByRule[]>(),
    },
  };
  const perCustomer = new Map<string, { live: number; draft: number }>();
  const diffs: Array<{
    orderId: string;
    customerId: string;
    live: number;
    draft: number;
    difference: number;
  }> = [];
  const totals = { live: 0, draft: 0 };
  for (let i = 0; i < orders.rows.length; i += CHUNK) {
    const chunk = orders.rows.slice(i, i + CHUNK);
    const facts = await db.transaction().execute((tx) =>
      loadOrderFacts(
        tx,
        shop.id,
        chunk.map((o) => o.id),
      ),
    );
    for (const order of chunk) {
      const earning = facts.get(order.id)!;
      const points = { live: 0, draft: 0 };
      for (const side of ['live', 'draft'] as const) {
        const s = sides[side];
        const history = s.history.get(earning.customerId!) ?? [];
        s.history.set(earning.customerId!, history);
        const intents = pointsForFact(
          {
            programme: s.programme,
            version: s.version,
            timezone: shop.timezone,
            customerId: earning.customerId!,
            at: order.paid_at,
            tierMultiplier: 1,
            history,
          },
          earning.fact,
        );
        points[side] = intents.reduce((sum, x) => sum + x.points, 0);
        totals[side] += points[side];
      }
      const c = perCustomer.get(order.customer_external_id) ?? { live: 0, draft: 0 };
      c.live += points.live;
      c.draft += points.draft;
      perCustomer.set(order.customer_external_id, c);
      if (points.live !== points.draft) {
        diffs.push({
          orderId: order.external_id,
          customerId: order.customer_external_id,
          ...points,
          difference: points.draft - points.live,
        });
      }
    }
  }
  const cost = (points: number, programme: Programme) => ({
    amount: Math.round(points * programme.settings.pointValue),
    currency: shop.currency,
  });
  diffs.sort(
    (a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.orderId.localeCompare(b.orderId),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    orders: orders.rows.length,
    customers: perCustomer.size,
    live: { version: live.version, points: totals.live, cost: cost(totals.live, live.programme) },
    draft: {
      version: draft.version,
      points: totals.draft,
      cost: cost(totals.draft, draft.programme),
    },
    difference: totals.draft - totals.live,
    customersAffected: [...perCustomer.values()].filter((c) => c.live !== c.draft).length,
    largestDifferences: diffs.slice(0, 20),
  };
}
