import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { NAME_CONSENT } from './name-consent.ts';

export interface SocialProofFacts {
  /** Distinct customers who paid for the product since the start of the shop's day. */
  buyersToday: number;
  /**
   * The city of the latest purchase among the cities where at least `minCustomers` distinct
   * customers bought the product lately; null when none reaches it (or orders carry no city).
   */
  recentCity: string | null;
  /** The first name of the latest recent buyer who consented to be named; null when none. */
  recentFirstName: string | null;
}

/**
 * The counts behind the storefront's social proof, from paid orders that were neither
 * cancelled nor refunded in full. A buyer is a customer, or a guest's e-mail, or a lone guest
 * order: the same person buying twice counts once.
 */
export async function readSocialProofFacts(
  db: Db,
  input: {
    shopId: string;
    productId: string;
    dayStart: Date;
    recentSince: Date;
    now: Date;
    minCustomers: number;
    withNames: boolean;
  },
): Promise<SocialProofFacts> {
  const purchases = () => purchasesOf(db, input);

  const [today, city, name] = await Promise.all([
    db
      .with('p', purchases)
      .selectFrom('p')
      .select(sql<string>`count(DISTINCT p.buyer)`.as('n'))
      .where('p.paid_at', '>=', input.dayStart)
      .executeTakeFirstOrThrow(),
    db
      .with('p', purchases)
      .selectFrom('p')
      .select([sql<string>`min(p.city)`.as('city')])
      .where('p.city', 'is not', null)
      .where('p.paid_at', '>=', input.recentSince)
      .groupBy(sql`lower(p.city)`)
      .having(sql`count(DISTINCT p.buyer)`, '>=', input.minCustomers)
      .orderBy(sql`max(p.paid_at)`, 'desc')
      .limit(1)
      .executeTakeFirst(),
    input.withNames ? latestConsentingName(db, purchases, input) : Promise.resolve(null),
  ]);
  return {
    buyersToday: Number(today.n),
    recentCity: city?.city ?? null,
    recentFirstName: name,
  };
}

interface Window {
  shopId: string;
  productId: string;
  dayStart: Date;
  recentSince: Date;
  now: Date;
}

/** The product's counted purchases since the earlier of the day's start and "recently". */
function purchasesOf(db: Db, input: Window) {
  const since = input.dayStart < input.recentSince ? input.dayStart : input.recentSince;
  return db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', (j) =>
      j.onRef('o.shop_id', '=', 'l.shop_id').onRef('o.id', '=', 'l.order_id'),
    )
    .where('l.shop_id', '=', input.shopId)
    .where('l.product_id', '=', input.productId)
    .where('o.paid_at', '>=', since)
    .where('o.paid_at', '<=', input.now)
    .where('o.cancelled_at', 'is', null)
    .where((eb) => eb.or([eb('o.total', '=', 0), eb('o.refunded_amount', '<', eb.ref('o.total'))]))
    .select([
      'o.customer_id',
      'o.paid_at',
      sql<string | null>`nullif(btrim(o.shipping_address->>'city'), '')`.as('city'),
      sql<string>`coalesce(o.customer_id, 'e:' || lower(o.email), 'o:' || o.id)`.as('buyer'),
    ]);
}

async function latestConsentingName(
  db: Db,
  purchases: () => ReturnType<typeof purchasesOf>,
  input: Window,
): Promise<string | null> {
  const row = await db
    .with('p', purchases)
    .selectFrom('p')
    .innerJoin('customers as c', (j) =>
      j.on('c.shop_id', '=', input.shopId).onRef('c.id', '=', 'p.customer_id'),
    )
    .innerJoin('consents as k', (j) =>
      j
        .on('k.shop_id', '=', input.shopId)
        .onRef('k.customer_id', '=', 'c.id')
        .on('k.channel', '=', NAME_CONSENT.channel)
        .on('k.purpose', '=', NAME_CONSENT.purpose),
    )
    .select('c.first_name')
    .where('k.granted', '=', true)
    .where('c.redacted_at', 'is', null)
    .where('c.first_name', 'is not', null)
    .where('p.paid_at', '>=', input.recentSince)
    .orderBy('p.paid_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const first = row?.first_name?.trim().split(/\s+/)[0];
  return first ? first : null;
}
