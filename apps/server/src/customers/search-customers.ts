import { sql, type RawBuilder } from 'kysely';
import { getCountryCallingCode } from 'libphonenumber-js/max';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerFactsQuery, ruleToSql, ruleUsesFact } from '../segments/customer-facts-query.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';
import { phoneRegionOf, toE164 } from '../shared/phone.ts';
import { parseTierProgramme } from '../tiers/find-tier-programme.ts';

export interface CustomerSearch {
  /** The shop's customer id (exact), an e-mail, a first or last name, "first last", or a phone. */
  q?: string;
  /** Members of this saved or built-in segment, evaluated now. */
  segment?: string;
  /** Customers whose tier now (a manual override first) is this one. */
  tier?: string;
  limit: number;
  /** The previous page's `nextAfter`. */
  after?: string;
}

export interface CustomerListRow {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  redacted: boolean;
  pointsAvailable: number;
  tier: { id: string; name: { pl: string; en: string } } | null;
  ordersCount: number;
  lastOrderAt: string | null;
  createdAt: string;
}

/** Folds like the database's lojal_search_fold: lower case, Polish letters without diacritics. */
export function searchFold(value: string): string {
  return value.toLowerCase().replace(/[ąćęłńóśźż]/g, (ch) => 'acelnoszz'['ąćęłńóśźż'.indexOf(ch)]!);
}

/** A LIKE pattern matching values that start with `prefix` (its % and _ taken literally). */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const PHONE_CHARACTERS = /^[+\d\s\-()./]+$/;

/**
 * The starts of stored E.164 numbers a typed phone can be: "+48 600 1" → +486001,
 * "0048600…" → +48600…, "600 100 200" in a Polish shop → +48600100200 (and +600100200, for a
 * number typed with its country code but no plus). Null when the text is no phone (too few digits).
 */
export function phonePrefixes(q: string, shop: ShopRow): string[] {
  if (!PHONE_CHARACTERS.test(q)) return [];
  const digits = q.replace(/\D/g, '');
  if (digits.length < 3) return [];
  const trimmed = q.trim();
  if (trimmed.startsWith('+')) return [`+${digits}`];
  if (digits.startsWith('00')) return [`+${digits.slice(2)}`];
  const region = phoneRegionOf(shop);
  const full = toE164(trimmed, region);
  const prefixes = new Set<string>(full ? [full] : []);
  if (region) prefixes.add(`+${getCountryCallingCode(region)}${digits.replace(/^0/, '')}`);
  prefixes.add(`+${digits}`);
  return [...prefixes];
}

/** What `q` may match: index-backed conditions, any of which makes a match. */
function matchesOf(q: string, shop: ShopRow): RawBuilder<boolean>[] {
  const folded = searchFold(q);
  const conditions: RawBuilder<boolean>[] = [
    sql<boolean>`c.external_id = ${q}`,
    sql<boolean>`lower(c.email) LIKE ${startsWith(q.toLowerCase())}`,
    sql<boolean>`lojal_search_fold(c.first_name) LIKE ${startsWith(folded)}`,
    sql<boolean>`lojal_search_fold(c.last_name) LIKE ${startsWith(folded)}`,
  ];
  const words = folded.split(/\s+/);
  if (words.length === 2) {
    // "Anna Nowak" or "Nowak Anna"
    const [a, b] = words as [string, string];
    conditions.push(
      sql<boolean>`(lojal_search_fold(c.first_name) LIKE ${startsWith(a)} AND lojal_search_fold(c.last_name) LIKE ${startsWith(b)})`,
      sql<boolean>`(lojal_search_fold(c.last_name) LIKE ${startsWith(a)} AND lojal_search_fold(c.first_name) LIKE ${startsWith(b)})`,
    );
  }
  for (const prefix of phonePrefixes(q, shop)) {
    conditions.push(sql<boolean>`c.phone LIKE ${startsWith(prefix)}`);
  }
  return conditions;
}

/** Past this many matches of one kind, matches are dense: reading newest first finds a page soon. */
const SPARSE_MATCHES = 1_000;

/**
 * The ids matching `q` when every kind of match is rare (each read from its own index, at most
 * SPARSE_MATCHES of each), or null when one kind is common ("a", "anna"). A common kind is
 * best served by reading the customers newest first and stopping at a page; a rare one (a phone,
 * an id, a full e-mail) that way would read every customer of the shop to find none.
 */
async function sparseMatches(
  db: Db,
  shopId: string,
  conditions: RawBuilder<boolean>[],
  after: string | undefined,
): Promise<string[] | null> {
  const branches = conditions.map(
    (condition, i) => sql`(SELECT ${i}::int AS branch, c.id FROM customers c
      WHERE c.shop_id = ${shopId} AND ${condition} ${after ? sql`AND c.id < ${after}` : sql``}
      LIMIT ${SPARSE_MATCHES + 1})`,
  );
  const { rows } = await sql<{ branch: number; id: string }>`${sql.join(
    branches,
    sql` UNION ALL `,
  )}`.execute(db);
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.branch, (counts.get(row.branch) ?? 0) + 1);
  if ([...counts.values()].some((n) => n > SPARSE_MATCHES)) return null;
  return [...new Set(rows.map((r) => r.id))];
}

interface Row {
  id: string;
  external_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  redacted_at: Date | null;
  created_at: Date;
  available: number;
  tier_id: string | null;
  orders_count: number;
  last_order_at: Date | null;
}

/**
 * The dashboard's customer list: a search and filters, newest customer first, a page at a time
 * by keyset (`after` is the last row's Lojal id), so the thousandth page costs what the first
 * does. Every kind of match is an index range (migration 0028): rare matches are gathered from
 * their indexes, common ones found by reading newest first (sparseMatches); a page's points,
 * tier and orders are read for its rows only. A segment is evaluated as GET /v1/segments/:id/customers
 * does, over the shop's customer facts.
 */
export async function searchCustomers(
  db: Db,
  shop: ShopRow,
  input: CustomerSearch,
  now: Date,
): Promise<{ data: CustomerListRow[]; nextAfter: string | null }> {
  const filters: RawBuilder<boolean>[] = [sql<boolean>`c.shop_id = ${shop.id}`];
  if (input.after) filters.push(sql<boolean>`c.id < ${input.after}`);
  const q = input.q?.trim();
  if (q) {
    const conditions = matchesOf(q, shop);
    const ids = await sparseMatches(db, shop.id, conditions, input.after);
    if (ids?.length === 0) return { data: [], nextAfter: null };
    filters.push(
      ids
        ? sql<boolean>`c.id = ANY(${ids}::text[])`
        : sql<boolean>`(${sql.join(conditions, sql` OR `)})`,
    );
  }
  if (input.tier) {
    const manual = sql`(ct.manual_tier_id IS NOT NULL AND (ct.manual_until IS NULL OR ct.manual_until > ${now}))`;
    filters.push(sql<boolean>`c.id IN (
      SELECT ct.customer_id FROM customer_tiers ct
      WHERE ct.shop_id = ${shop.id} AND (ct.tier_id = ${input.tier} OR ct.manual_tier_id = ${input.tier})
        AND CASE WHEN ${manual} THEN ct.manual_tier_id ELSE ct.tier_id END = ${input.tier})`);
  }
  if (input.segment) {
    const rules = await findSegmentRules(db, shop, input.segment);
    const facts = customerFactsQuery(shop.id, shop.timezone, now, {
      categories: ruleUsesFact(rules, 'categories_bought'),
    });
    filters.push(sql<boolean>`c.id IN (SELECT f.id FROM (${facts}) f WHERE ${ruleToSql(rules)})`);
  }

  const { rows } = await sql<Row>`
    WITH page AS (
      SELECT c.id FROM customers c
      WHERE ${sql.join(filters, sql` AND `)}
      ORDER BY c.id DESC
      LIMIT ${input.limit + 1}
    )
    SELECT c.id, c.external_id, c.email, c.first_name, c.last_name, c.phone, c.redacted_at,
           c.created_at,
           (lots.available - COALESCE(a.debt, 0))::bigint AS available,
           CASE WHEN ct.manual_tier_id IS NOT NULL AND (ct.manual_until IS NULL OR ct.manual_until > ${now})
                THEN ct.manual_tier_id ELSE ct.tier_id END AS tier_id,
           o.orders_count, o.last_order_at
    FROM page
    JOIN customers c ON c.shop_id = ${shop.id} AND c.id = page.id
    LEFT JOIN point_accounts a ON a.shop_id = c.shop_id AND a.customer_id = c.id
    LEFT JOIN customer_tiers ct ON ct.shop_id = c.shop_id AND ct.customer_id = c.id
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(remaining), 0)::bigint AS available
      FROM point_lots l
      WHERE l.shop_id = c.shop_id AND l.customer_id = c.id AND l.remaining > 0
        AND l.available_at <= ${now} AND (l.expires_at IS NULL OR l.expires_at > ${now})) lots
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS orders_count, max(placed_at) AS last_order_at
      FROM orders o
      WHERE o.shop_id = c.shop_id AND o.customer_id = c.id
        AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL) o
    ORDER BY c.id DESC`.execute(db);

  const programme = rows.some((r) => r.tier_id !== null)
    ? await db
        .selectFrom('tier_programmes')
        .select('programme')
        .where('shop_id', '=', shop.id)
        .executeTakeFirst()
    : undefined;
  const tiers = new Map(
    (programme ? parseTierProgramme(programme.programme).tiers : []).map((t) => [t.id, t.name]),
  );
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((r) => ({
      id: r.external_id,
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      phone: r.phone,
      redacted: r.redacted_at !== null,
      pointsAvailable: Number(r.available),
      tier:
        r.tier_id === null
          ? null
          : { id: r.tier_id, name: tiers.get(r.tier_id) ?? { pl: r.tier_id, en: r.tier_id } },
      ordersCount: r.orders_count,
      lastOrderAt: r.last_order_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
    nextAfter: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
