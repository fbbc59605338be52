import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { builtInSegments } from './built-in-segments.ts';
import { countSegments } from './evaluate-segment.ts';
import type { SegmentRule } from './segment-rules.ts';

export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  builtIn: boolean;
  rules: SegmentRule;
  customers: number;
}

/** Built-in and the shop's own segments, each with its live count, in the shop's language. */
export async function listSegments(db: Db, clock: Clock, shop: ShopRow): Promise<SegmentView[]> {
  const lang = shop.locale === 'pl' ? 'pl' : 'en';
  const own = await db
    .selectFrom('segments')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .orderBy('id')
    .execute();
  const all = [
    ...builtInSegments(shop.currency).map((s) => ({
      id: s.id,
      name: s.name[lang],
      description: s.description[lang],
      builtIn: true,
      rules: s.rules,
    })),
    ...own.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      builtIn: false,
      rules: s.rules as SegmentRule,
    })),
  ];
  const counts = await countSegments(
    db,
    shop,
    all.map((s) => s.rules),
    clock.now(),
  );
  return all.map((s, i) => ({ ...s, customers: counts[i]! }));
}

/** A built-in segment (by its slug) or one of the shop's own. */
export async function findSegmentRules(
  db: Db,
  shop: ShopRow,
  segmentId: string,
): Promise<SegmentRule> {
  const builtIn = builtInSegments(shop.currency).find((s) => s.id === segmentId);
  if (builtIn) return builtIn.rules;
  const own = await db
    .selectFrom('segments')
    .select('rules')
    .where('shop_id', '=', shop.id)
    .where('id', '=', segmentId)
    .executeTakeFirst();
  if (!own) throw problems.notFound(`Segment ${segmentId}`);
  return own.rules as SegmentRule;
}

export async function createSegment(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: { name: string; description?: string; rules: SegmentRule },
): Promise<SegmentView> {
  const now = clock.now();
  // counted first: rules the database cannot evaluate are refused before anything is saved
  const [customers] = await countSegments(db, shop, [input.rules], now);
  const row = await db
    .insertInto('segments')
    .values({
      shop_id: shop.id,
      id: newId('seg'),
      name: input.name,
      description: input.description ?? null,
      rules: JSON.stringify(input.rules),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return ownSegmentView(row, input.rules, customers!);
}

export async function deleteSegment(db: Db, shop: ShopRow, segmentId: string): Promise<void> {
  if (builtInSegments(shop.currency).some((s) => s.id === segmentId)) {
    throw problems.conflict('Built-in segments cannot be deleted.');
  }
  const result = await db
    .deleteFrom('segments')
    .where('shop_id', '=', shop.id)
    .where('id', '=', segmentId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw problems.notFound(`Segment ${segmentId}`);
}

/** One segment, built in or the shop's own, with its live count. */
export async function findSegment(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  segmentId: string,
): Promise<SegmentView> {
  const lang = shop.locale === 'pl' ? 'pl' : 'en';
  const builtIn = builtInSegments(shop.currency).find((s) => s.id === segmentId);
  const segment = builtIn
    ? {
        id: builtIn.id,
        name: builtIn.name[lang],
        description: builtIn.description[lang],
        builtIn: true,
        rules: builtIn.rules,
      }
    : await db
        .selectFrom('segments')
        .select(['id', 'name', 'description', 'rules'])
        .where('shop_id', '=', shop.id)
        .where('id', '=', segmentId)
        .executeTakeFirst()
        .then((row) => row && { ...row, builtIn: false, rules: row.rules as SegmentRule });
  if (!segment) throw problems.notFound(`Segment ${segmentId}`);
  const [customers] = await countSegments(db, shop, [segment.rules], clock.now());
  return { ...segment, customers: customers! };
}

/**
 * Changes one of the shop's segments (built-in ones stay as they are). Flows, campaigns and
 * pop-ups name a segment by its id, so they follow the new rules from their next decision.
 */
export async function updateSegment(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  segmentId: string,
  input: { name: string; description?: string; rules: SegmentRule },
): Promise<SegmentView> {
  if (builtInSegments(shop.currency).some((s) => s.id === segmentId)) {
    throw problems.conflict('Built-in segments cannot be changed; make your own from their rules.');
  }
  const now = clock.now();
  const [customers] = await countSegments(db, shop, [input.rules], now);
  const row = await db
    .updateTable('segments')
    .set({
      name: input.name,
      description: input.description ?? null,
      rules: JSON.stringify(input.rules),
      updated_at: now,
    })
    .where('shop_id', '=', shop.id)
    .where('id', '=', segmentId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Segment ${segmentId}`);
  return ownSegmentView(row, input.rules, customers!);
}

function ownSegmentView(
  row: { id: string; name: string; description: string | null },
  rules: SegmentRule,
  customers: number,
): SegmentView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    builtIn: false,
    rules,
    customers,
  };
}
