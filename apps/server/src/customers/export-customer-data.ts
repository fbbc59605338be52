import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Locale } from '../shared/i18n.ts';
import { findCustomerId } from './find-customer-id.ts';
import { KIND_TEXTS } from './customer-data-texts.ts';

/**
 * Where a kind of data lives: a table and which of its rows are the customer's — their own
 * column, or rows hanging off the customer's orders, messages, reviews or referrals.
 */
interface Source {
  table: string;
  /** Rows whose `column` is the customer's Lojal id. */
  column?: string;
  /** Or rows whose `column` is one of the ids this query returns. */
  of?: { column: string; ids: (shopId: string, customerId: string) => RawBuilder<unknown> };
  /** Or rows this condition picks (rows found by the person's e-mail or phone). */
  where?: (person: Person) => RawBuilder<unknown>;
  /** Columns left out: another person's data, or internal keys of no use to the person. */
  omit?: string[];
}

/** The customer as the export finds their rows. */
interface Person {
  shopId: string;
  customerId: string;
  email: string | null;
  phone: string | null;
}

interface Kind {
  /** Its purpose and source, in words, are in customer-data-texts.ts. */
  kind: string;
  sources: Source[];
}

const ordersOf = (shopId: string, customerId: string) =>
  sql`SELECT id FROM orders WHERE shop_id = ${shopId} AND customer_id = ${customerId}`;
const messagesOf = (shopId: string, customerId: string) =>
  sql`SELECT id FROM messages WHERE shop_id = ${shopId} AND customer_id = ${customerId}`;
const reviewsOf = (shopId: string, customerId: string) =>
  sql`SELECT id FROM reviews WHERE shop_id = ${shopId} AND customer_id = ${customerId}`;
const giftCardsOf = (shopId: string, customerId: string) =>
  sql`SELECT id FROM gift_cards WHERE shop_id = ${shopId} AND customer_id = ${customerId}`;
const runsOf = (shopId: string, customerId: string) =>
  sql`SELECT id FROM flow_runs WHERE shop_id = ${shopId} AND customer_id = ${customerId}`;
/** The person's addresses as the suppression lists and raw deliveries hold them. */
const addressesOf = (p: Person) => [p.email?.toLowerCase(), p.phone].filter((a) => !!a) as string[];
const MAX_RAW_DELIVERIES = 1000;

/**
 * The kinds of personal data Lojal keeps about a customer (API.md, "Personal data"), each with
 * its purpose and source: every table the personal-data register (db/personal-data.ts) names
 * for a customer is read here, which the register test checks. The customer portal's "download
 * my data", `GET /v1/customers/{id}/export` and Shopify's customers/data_request give this.
 */
const KINDS: Kind[] = [
  {
    kind: 'profile',
    sources: [
      { table: 'customers', column: 'id' },
      { table: 'referral_codes', column: 'customer_id', omit: ['code_key'] },
      { table: 'customer_tiers', column: 'customer_id' },
      { table: 'tier_events', column: 'customer_id' },
      { table: 'customer_achievements', column: 'customer_id' },
      { table: 'customer_predictions', column: 'customer_id' },
    ],
  },
  {
    kind: 'orders',
    sources: [
      { table: 'orders', column: 'customer_id' },
      { table: 'order_lines', of: { column: 'order_id', ids: ordersOf } },
      { table: 'refunds', of: { column: 'order_id', ids: ordersOf } },
    ],
  },
  {
    kind: 'points',
    sources: [
      { table: 'point_accounts', column: 'customer_id' },
      { table: 'point_entries', column: 'customer_id' },
      { table: 'point_lots', column: 'customer_id' },
      { table: 'redemptions', column: 'customer_id' },
      { table: 'tier_perk_grants', column: 'customer_id' },
    ],
  },
  {
    kind: 'stamps',
    sources: [
      { table: 'stamp_cards', column: 'customer_id' },
      { table: 'stamps', column: 'customer_id' },
    ],
  },
  {
    kind: 'coupons',
    sources: [
      { table: 'coupons', column: 'customer_id', omit: ['code_key'] },
      { table: 'coupon_uses', column: 'customer_id' },
      { table: 'gift_cards', column: 'customer_id', omit: ['code_hash', 'code_key'] },
      { table: 'gift_card_entries', of: { column: 'gift_card_id', ids: giftCardsOf } },
      // Gift cards the customer bought online: the recipient and message they typed.
      {
        table: 'gift_card_sales',
        of: { column: 'order_id', ids: ordersOf },
        omit: ['sealed_secret'],
      },
    ],
  },
  {
    kind: 'referrals',
    sources: [
      { table: 'referrals', column: 'referrer_customer_id' },
      { table: 'referrals', column: 'friend_customer_id' },
      { table: 'referral_rewards', column: 'customer_id' },
      { table: 'referral_share_messages', column: 'customer_id' },
      { table: 'referral_sightings', column: 'customer_id' },
      { table: 'referral_visits', column: 'referrer_customer_id' },
    ],
  },
  {
    kind: 'consents',
    sources: [
      { table: 'consents', column: 'customer_id' },
      { table: 'consent_events', column: 'customer_id' },
      { table: 'push_subscriptions', column: 'customer_id' },
      { table: 'popup_sign_ups', column: 'customer_id' },
      {
        table: 'suppressions',
        where: (p) => sql`address = ANY(${addressesOf(p)}::text[])`,
      },
    ],
  },
  {
    kind: 'messages',
    sources: [
      { table: 'messages', column: 'customer_id', omit: ['claim_token'] },
      { table: 'message_events', of: { column: 'message_id', ids: messagesOf } },
      { table: 'mail_outbox', of: { column: 'message_id', ids: messagesOf } },
      { table: 'automation_triggers', column: 'customer_id' },
      { table: 'flow_runs', column: 'customer_id' },
      { table: 'flow_run_steps', of: { column: 'run_id', ids: runsOf } },
    ],
  },
  {
    kind: 'surveys',
    sources: [
      { table: 'survey_requests', column: 'customer_id' },
      { table: 'survey_answers', column: 'customer_id' },
    ],
  },
  {
    kind: 'reviews',
    sources: [
      { table: 'review_requests', column: 'customer_id' },
      { table: 'reviews', column: 'customer_id' },
      { table: 'review_photos', of: { column: 'review_id', ids: reviewsOf } },
    ],
  },
  {
    kind: 'notes and tasks',
    sources: [
      { table: 'customer_notes', column: 'customer_id' },
      { table: 'customer_tasks', column: 'customer_id' },
    ],
  },
  {
    kind: 'visits',
    sources: [{ table: 'customer_activities', column: 'customer_id' }],
  },
  {
    kind: 'raw deliveries',
    sources: [
      {
        table: 'inbound_events',
        where: (p) =>
          sql`id IN (SELECT id FROM inbound_events WHERE shop_id = ${p.shopId}
                AND EXISTS (SELECT 1 FROM unnest(${addressesOf(p)}::text[]) a
                            WHERE position(convert_to(a, 'UTF8') IN body) > 0)
                ORDER BY id LIMIT ${MAX_RAW_DELIVERIES})`,
        omit: ['body', 'headers', 'request_hash', 'idempotency_key'],
      },
      { table: 'customer_data_exports', column: 'customer_id', omit: ['export'] },
    ],
  },
];

/** Every table the export reads (the register test checks each personal table is one). */
export function exportedTables(): string[] {
  return [...new Set(KINDS.flatMap((k) => k.sources.map((s) => s.table)))];
}

export interface CustomerExport {
  exportedAt: string;
  shop: { id: string; name: string };
  customerId: string;
  data: Array<{
    kind: string;
    title: string;
    purpose: string;
    source: string;
    records: Record<string, Record<string, unknown>[]>;
  }>;
}

/**
 * Every personal datum Lojal holds about one customer of one shop, grouped by kind with its
 * purpose (RODO Art. 15 and 20): the customer's rows of each table, as stored. Binary contents
 * (review photos) are listed by size; `shop_id` and a few internal keys are left out. Only this
 * shop's rows are read, and only this customer's.
 */
export async function exportCustomerData(
  db: Db,
  clock: Clock,
  input: { shopId: string; externalId: string; lang?: Locale },
): Promise<CustomerExport> {
  const lang = input.lang ?? 'en';
  const customerId = await findCustomerId(db, input.shopId, input.externalId);
  const found = await db
    .selectFrom('customers')
    .select(['email', 'phone'])
    .where('shop_id', '=', input.shopId)
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  const person: Person = { shopId: input.shopId, customerId, ...found };
  const shop = await db
    .selectFrom('shops')
    .select(['id', 'name'])
    .where('id', '=', input.shopId)
    .executeTakeFirstOrThrow();
  const data: CustomerExport['data'] = [];
  for (const kind of KINDS) {
    const records: Record<string, Record<string, unknown>[]> = {};
    for (const source of kind.sources) {
      const rows = await rowsOf(db, person, source);
      const key = records[source.table] ? `${source.table} (${source.column})` : source.table;
      records[key] = rows.map((row) => cleaned(row, source.omit ?? []));
    }
    const texts = KIND_TEXTS[kind.kind]!;
    data.push({
      kind: kind.kind,
      title: texts.title[lang],
      purpose: texts.purpose[lang],
      source: texts.source[lang],
      records,
    });
  }
  return {
    exportedAt: clock.now().toISOString(),
    shop,
    customerId: input.externalId,
    data,
  };
}

async function rowsOf(db: Db, person: Person, source: Source) {
  const { shopId, customerId } = person;
  const where = source.where
    ? source.where(person)
    : source.of
      ? sql`${sql.ref(source.of.column)} IN (${source.of.ids(shopId, customerId)})`
      : sql`${sql.ref(source.column!)} = ${customerId}`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM ${sql.table(source.table)} WHERE shop_id = ${shopId} AND ${where}`.execute(db);
  return rows;
}

function cleaned(row: Record<string, unknown>, omit: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (column === 'shop_id' || omit.includes(column)) continue;
    out[column] = Buffer.isBuffer(value) ? `(binary, ${value.length} bytes)` : value;
  }
  return out;
}
