import { sql, type Insertable, type Selectable } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { CouponsTable, RewardsTable, StampCardsTable } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import { localDay } from '../shared/zoned-time.ts';
import {
  customerCouponRow,
  discountInCurrency,
  rewardCouponTerms,
  type CouponTerms,
} from '../coupons/customer-coupon.ts';
import { localize } from '../rewards/reward-schema.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import { allowedToday, placeStamps } from './stamp-card.ts';
import type { StampProgrammeRow, StampReward } from './stamp-programme-schema.ts';

export interface StampShop {
  id: string;
  timezone: string;
  currency: string;
}

export interface StampRequest {
  programme: StampProgrammeRow;
  customerId: string; // Lojal's id
  count: number;
  at: Date;
  source: 'scan' | 'order';
  staffMemberId?: string;
  scanNonce?: string;
  orderId?: string;
}

export interface IssuedReward {
  cardId: string;
  cardNumber: number;
  name: { pl: string; en: string };
  /** null when the reward is a perk staff hand over (a catalogue `custom_perk`). */
  coupon: {
    code: string;
    discount: DiscountSpec;
    minBasket: number | null;
    expiresAt: string;
  } | null;
}

export interface StampOutcome {
  given: number;
  stampIds: string[];
  stampedToday: number;
  /** The open card after the stamps, and how many cards the customer has filled before it. */
  card: { id: string; number: number; stamps: number; stampsRequired: number };
  completedCards: number;
  rewards: IssuedReward[];
}

type CardRow = Selectable<StampCardsTable>;
type Card = CardRow & { isNew: boolean };

/**
 * Adds stamps for a batch of requests, all or nothing, in the caller's transaction. Each
 * customer's open card is locked first, so concurrent scans and orders of one customer run
 * one after another: a card never passes N, the daily limit holds, and a full card issues its
 * reward exactly once (the card's completion and the coupon commit together) and opens the next.
 */
export async function addStamps(
  tx: Tx,
  shop: StampShop,
  requests: StampRequest[],
): Promise<StampOutcome[]> {
  if (requests.length === 0) return [];
  const cards = await lockOpenCards(tx, shop.id, requests);
  const days = requests.map((r) => localDay(r.at, shop.timezone));
  const today = await stampsOnDays(tx, shop.id, requests, days);
  const catalogue = await catalogueRewards(tx, shop.id, requests);

  const touched = new Map<string, Card>();
  const coupons: Insertable<CouponsTable>[] = [];
  const stamps: Array<{ id: string; card: Card; request: StampRequest; day: string }> = [];
  const outcomes = requests.map((request, i) => {
    const p = request.programme;
    const pair = pairKey(p.id, request.customerId);
    const dayKey = `${pair}|${days[i]}`;
    const before = today.get(dayKey) ?? 0;
    const given = allowedToday(request.count, before, p.daily_limit);
    today.set(dayKey, before + given);
    const outcome = { given, stampIds: [] as string[], rewards: [] as IssuedReward[] };
    let card = cards.get(pair)!;
    const placements = placeStamps(
      { stamps: card.stamps, required: card.stamps_required },
      given,
      p.stamps_required,
    );
    for (const placement of placements) {
      for (let s = 0; s < placement.stamps; s++) {
        const id = newId('stm');
        outcome.stampIds.push(id);
        stamps.push({ id, card, request, day: days[i]! });
      }
      card.stamps += placement.stamps;
      card.last_stamp_at = request.at;
      touched.set(card.id, card);
      if (!placement.completes) continue;
      const reward = rewardFor(p, catalogue, shop, request.customerId, request.at);
      if (reward.coupon) coupons.push(reward.coupon);
      card.completed_at = request.at;
      card.reward_coupon_id = reward.coupon?.id ?? null;
      outcome.rewards.push({
        cardId: card.id,
        cardNumber: card.number,
        name: reward.name,
        coupon: reward.coupon && {
          code: reward.coupon.code,
          discount: reward.discount!,
          minBasket: reward.coupon.min_basket ?? null,
          expiresAt: (reward.coupon.expires_at as Date).toISOString(),
        },
      });
      card = {
        ...card,
        id: newId('stc'),
        number: card.number + 1,
        stamps: 0,
        stamps_required: p.stamps_required,
        opened_at: request.at,
        last_stamp_at: null,
        completed_at: null,
        reward_coupon_id: null,
        isNew: true,
      };
      cards.set(pair, card);
      touched.set(card.id, card);
    }
    return {
      ...outcome,
      stampedToday: before + given,
      card: {
        id: card.id,
        number: card.number,
        stamps: card.stamps,
        stampsRequired: card.stamps_required,
      },
      completedCards: card.number - 1,
    };
  });

  await saveStamps(tx, shop.id, [...touched.values()], coupons, stamps);
  return outcomes;
}

function pairKey(programmeId: string, customerId: string) {
  return `${programmeId}|${customerId}`;
}

/**
 * Opens (if needed) and locks each customer's open card, in a fixed order so two writers never
 * deadlock. A card filled by a concurrent writer while this one waited is no longer open and the
 * statement cannot see its successor, so the lock is simply taken again.
 */
export async function lockOpenCards(
  tx: Tx,
  shopId: string,
  requests: Array<Pick<StampRequest, 'programme' | 'customerId' | 'at'>>,
): Promise<Map<string, Card>> {
  const pairs = new Map<string, { p: string; c: string; required: number; at: Date }>();
  for (const r of requests) {
    const key = pairKey(r.programme.id, r.customerId);
    if (!pairs.has(key))
      pairs.set(key, {
        p: r.programme.id,
        c: r.customerId,
        required: r.programme.stamps_required,
        at: r.at,
      });
  }
  const list = [...pairs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  const ps = list.map((x) => x.p);
  const cs = list.map((x) => x.c);
  for (let attempt = 0; attempt < 5; attempt++) {
    await sql`
      INSERT INTO stamp_cards (shop_id, id, programme_id, customer_id, number, stamps_required, opened_at)
      SELECT ${shopId}, t.id, t.p, t.c,
             1 + (SELECT count(*) FROM stamp_cards x
                  WHERE x.shop_id = ${shopId} AND x.programme_id = t.p AND x.customer_id = t.c),
             t.req, t.at
      FROM unnest(${list.map(() => newId('stc'))}::text[], ${ps}::text[], ${cs}::text[],
                  ${list.map((x) => x.required)}::int[],
                  ${list.map((x) => x.at.toISOString())}::timestamptz[]) AS t(id, p, c, req, at)
      WHERE NOT EXISTS (SELECT 1 FROM stamp_cards o WHERE o.shop_id = ${shopId}
                        AND o.programme_id = t.p AND o.customer_id = t.c AND o.completed_at IS NULL)
      ON CONFLICT (shop_id, programme_id, customer_id) WHERE completed_at IS NULL DO NOTHING`.execute(
      tx,
    );
    const rows = await sql<CardRow>`
      SELECT c.* FROM stamp_cards c
      JOIN unnest(${ps}::text[], ${cs}::text[]) AS t(p, c) ON c.programme_id = t.p AND c.customer_id = t.c
      WHERE c.shop_id = ${shopId} AND c.completed_at IS NULL
      ORDER BY c.programme_id, c.customer_id
      FOR UPDATE OF c`.execute(tx);
    if (rows.rows.length === list.length) {
      return new Map(
        rows.rows.map((r) => [pairKey(r.programme_id, r.customer_id), { ...r, isNew: false }]),
      );
    }
  }
  throw new Error('stamp cards kept changing while being locked');
}

/** Stamps each customer already has on each request's day, per programme (cards locked). */
async function stampsOnDays(tx: Tx, shopId: string, requests: StampRequest[], days: string[]) {
  const rows = await sql<{
    programme_id: string;
    customer_id: string;
    local_day: string;
    n: number;
  }>`
    SELECT s.programme_id, s.customer_id, s.local_day, count(*)::int AS n FROM stamps s
    JOIN (SELECT DISTINCT * FROM unnest(${requests.map((r) => r.programme.id)}::text[],
                 ${requests.map((r) => r.customerId)}::text[], ${days}::date[])) AS t(p, c, d)
      ON s.programme_id = t.p AND s.customer_id = t.c AND s.local_day = t.d
    WHERE s.shop_id = ${shopId}
    GROUP BY 1, 2, 3`.execute(tx);
  return new Map(
    rows.rows.map((r) => [`${pairKey(r.programme_id, r.customer_id)}|${r.local_day}`, r.n]),
  );
}

async function catalogueRewards(tx: Tx, shopId: string, requests: StampRequest[]) {
  const ids = [
    ...new Set(
      requests.flatMap((r) => {
        const reward = r.programme.reward as StampReward;
        return reward.type === 'reward' ? [reward.rewardId] : [];
      }),
    ),
  ];
  if (ids.length === 0) return new Map<string, Selectable<RewardsTable>>();
  // Archived or not: a customer who filled the card has earned it.
  const rows = await tx
    .selectFrom('rewards')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The coupon a full card gives: the programme's own terms, or a catalogue reward's coupon
 * without spending points (its stock and per-customer limit are for points redemptions).
 */
function rewardFor(
  p: StampProgrammeRow,
  catalogue: Map<string, Selectable<RewardsTable>>,
  shop: StampShop,
  customerId: string,
  at: Date,
) {
  const reward = p.reward as StampReward;
  let terms: CouponTerms | null;
  let name = p.name;
  if (reward.type === 'coupon') {
    terms = {
      discount: discountInCurrency(reward.discount, shop.currency),
      minBasket: reward.minBasket ?? null,
      validDays: reward.validDays,
    };
    if (reward.name) name = localize(reward.name);
  } else {
    const row = catalogue.get(reward.rewardId);
    if (!row) throw new Error(`stamp card ${p.id} names reward ${reward.rewardId}, which is gone`);
    terms = rewardCouponTerms(row, shop.currency);
    name = row.name;
  }
  const discount = terms?.discount ?? null;
  const coupon: Insertable<CouponsTable> | null =
    terms && customerCouponRow({ shopId: shop.id, customerId, source: 'reward', terms, at });
  return { name, discount, coupon };
}

const CHUNK = 1000;

/** Coupons, then cards (completions before their successors open), then the stamps. */
async function saveStamps(
  tx: Tx,
  shopId: string,
  cards: Card[],
  coupons: Insertable<CouponsTable>[],
  stamps: Array<{ id: string; card: Card; request: StampRequest; day: string }>,
) {
  for (let i = 0; i < coupons.length; i += CHUNK) {
    await tx
      .insertInto('coupons')
      .values(coupons.slice(i, i + CHUNK))
      .execute();
  }
  const old = cards.filter((c) => !c.isNew);
  if (old.length > 0) {
    await sql`
      UPDATE stamp_cards c SET stamps = t.stamps, last_stamp_at = t.last, completed_at = t.done,
             reward_coupon_id = t.coupon
      FROM unnest(${old.map((c) => c.id)}::text[], ${old.map((c) => c.stamps)}::int[],
                  ${old.map((c) => c.last_stamp_at?.toISOString() ?? null)}::timestamptz[],
                  ${old.map((c) => c.completed_at?.toISOString() ?? null)}::timestamptz[],
                  ${old.map((c) => c.reward_coupon_id)}::text[]) AS t(id, stamps, last, done, coupon)
      WHERE c.shop_id = ${shopId} AND c.id = t.id`.execute(tx);
  }
  const fresh = cards.filter((c) => c.isNew);
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await tx
      .insertInto('stamp_cards')
      .values(fresh.slice(i, i + CHUNK).map(({ isNew: _, ...c }) => c))
      .execute();
  }
  for (let i = 0; i < stamps.length; i += CHUNK * 10) {
    const part = stamps.slice(i, i + CHUNK * 10);
    await sql`
      INSERT INTO stamps (shop_id, id, card_id, programme_id, customer_id, source, staff_member_id,
                          scan_nonce, order_id, local_day, created_at)
      SELECT ${shopId}, * FROM unnest(
        ${part.map((s) => s.id)}::text[], ${part.map((s) => s.card.id)}::text[],
        ${part.map((s) => s.request.programme.id)}::text[], ${part.map((s) => s.request.customerId)}::text[],
        ${part.map((s) => s.request.source)}::text[],
        ${part.map((s) => s.request.staffMemberId ?? null)}::text[],
        ${part.map((s) => s.request.scanNonce ?? null)}::text[],
        ${part.map((s) => s.request.orderId ?? null)}::text[],
        ${part.map((s) => s.day)}::date[],
        ${part.map((s) => s.request.at.toISOString())}::timestamptz[])`.execute(tx);
  }
}
