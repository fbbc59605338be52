import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { AffiliatesTable } from '../db/schema.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { referralCodeKey, referralLink } from '../referrals/referral-code.ts';

export interface AffiliateInput {
  name: string;
  email?: string | null;
  commissionPercent: number;
  attributionWindowDays?: number;
}

export function affiliateView(
  row: Selectable<AffiliatesTable>,
  shop: Pick<ShopRow, 'slug'>,
  publicUrl: string,
) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    code: row.code,
    link: referralLink(publicUrl, shop.slug, row.code),
    commissionPercent: Number(row.commission_percent),
    attributionWindowDays: row.attribution_window_days,
    archived: row.archived_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * A partner or creator with a code and link like a customer's. The code shares
 * `/r/{shop}/{code}` with customers' codes, so one already taken by a customer of the shop is
 * refused. Other shops' codes are not looked at: the link names the shop.
 */
export async function createAffiliate(
  db: Db,
  shop: ShopRow,
  input: AffiliateInput & { code: string },
  publicUrl: string,
  now: Date,
) {
  const key = referralCodeKey(input.code);
  const taken = await db
    .selectFrom('referral_codes')
    .select('customer_id')
    .where('shop_id', '=', shop.id)
    .where('code_key', '=', key)
    .executeTakeFirst();
  if (taken) throw problems.conflict(`The code ${input.code} is a customer's referral code.`);
  const row = await db
    .insertInto('affiliates')
    .values({
      shop_id: shop.id,
      id: newId('aff'),
      name: input.name,
      email: input.email ?? null,
      code: input.code.toUpperCase(),
      code_key: key,
      commission_percent: input.commissionPercent,
      attribution_window_days: input.attributionWindowDays ?? 30,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'code_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problems.conflict(`The code ${input.code} is another affiliate's.`);
  return affiliateView(row, shop, publicUrl);
}

/** Changes the terms (a new rate applies to orders from now on) or archives the affiliate. */
export async function updateAffiliate(
  db: Db,
  shop: ShopRow,
  id: string,
  input: AffiliateInput & { archived?: boolean },
  publicUrl: string,
  now: Date,
) {
  const row = await db
    .updateTable('affiliates')
    .set((eb) => ({
      name: input.name,
      email: input.email ?? null,
      commission_percent: input.commissionPercent,
      attribution_window_days: input.attributionWindowDays ?? 30,
      archived_at: input.archived ? eb.fn.coalesce('archived_at', eb.val(now)) : null,
    }))
    .where('shop_id', '=', shop.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Affiliate ${id}`);
  return affiliateView(row, shop, publicUrl);
}

export async function listAffiliates(db: Db, shop: ShopRow, publicUrl: string) {
  const rows = await db
    .selectFrom('affiliates')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return { data: rows.map((r) => affiliateView(r, shop, publicUrl)) };
}
