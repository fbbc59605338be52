import { hashToken } from '../shared/secrets.ts';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/connect.ts';
import { DAY_MS } from '../db/shop-days.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';
import { referralCodeKey } from './referral-code.ts';

interface LinkOwner {
  kind: 'customer' | 'affiliate';
  shop_id: string;
  owner_id: string;
  code: string;
  archived: boolean;
  storefront_url: string | null;
}

/**
 * Someone followed a referral link: the visit is recorded (client address, user agent, time)
 * and the visitor is sent to the shop with the code and the visit's id, which the storefront
 * hands back when the visitor signs up (POST /v1/referrals/attributions) or, for an
 * affiliate's link, with the order (POST /v1/affiliates/attributions).
 *
 * `shop` (a slug or an id) is the shop the link names: /r/{shop}/{code}, or `?shop=` on the
 * older /r/{code}. Without it the code is looked up across shops, and belongs to the shop that
 * claimed it first, so no shop can take over another's link by creating the same code later.
 */
export async function recordReferralVisit(
  db: Db,
  input: {
    shop?: string;
    code: string;
    address: string | null;
    userAgent: string | null;
    record?: boolean;
  },
  now: Date,
): Promise<{ location: string; visitId: string; owner: ReferralLinkOwner }> {
  const owner = await findLinkOwner(db, input.shop ?? null, referralCodeKey(input.code));
  if (!owner || owner.archived) throw problems.notFound(`Referral code ${input.code}`);
  if (!owner.storefront_url) {
    throw problems.conflict(
      'The shop has not set where referral links lead (PUT /v1/referrals/storefront).',
    );
  }
  // A HEAD request (a link preview, a checker) is not a visit.
  const visitId =
    input.record === false
      ? newId(owner.kind === 'customer' ? 'rfv' : 'afv')
      : await countVisit(db, owner, input, now);
  const url = new URL(owner.storefront_url);
  url.searchParams.set('lojal_ref', owner.code);
  url.searchParams.set('lojal_visit', visitId);
  return {
    location: url.toString(),
    visitId,
    owner: { kind: owner.kind, shopId: owner.shop_id, ownerId: owner.owner_id, code: owner.code },
  };
}

/** Whose link it was: a customer's referral code or an affiliate's, in which shop. */
export interface ReferralLinkOwner {
  kind: 'customer' | 'affiliate';
  shopId: string;
  /** The customer's Lojal id, or the affiliate's id. */
  ownerId: string;
  code: string;
}

/**
 * The earliest claim of the code: by its own creation, then the shop's, so the answer depends
 * only on what existed first. Within the named shop an archived affiliate no longer counts;
 * across shops it still holds its claim, so archiving never hands a link to another shop.
 * A customer erased under RODO/GDPR is treated the same way: the code (often their first name)
 * is replaced and leads nowhere, and its claim stays as a hash of its key
 * (retired_referral_codes), so no other shop's code takes the link over.
 */
async function findLinkOwner(db: Db, shop: string | null, key: string): Promise<LinkOwner | null> {
  const { rows } = await sql<LinkOwner>`
    SELECT t.kind, t.shop_id, t.owner_id, t.code, t.archived, s.storefront_url
    FROM (SELECT 'customer' AS kind, rc.shop_id, rc.customer_id AS owner_id, rc.code,
                 rc.created_at, c.redacted_at IS NOT NULL AS archived
            FROM referral_codes rc
            JOIN customers c ON c.shop_id = rc.shop_id AND c.id = rc.customer_id
           WHERE rc.code_key = ${key}
          UNION ALL
          SELECT 'affiliate', shop_id, id, code, created_at, archived_at IS NOT NULL
            FROM affiliates WHERE code_key = ${key}
          UNION ALL
          SELECT 'customer', shop_id, NULL, NULL, created_at, true
            FROM retired_referral_codes WHERE key_hash = ${hashToken(key)}) t
    JOIN shops s ON s.id = t.shop_id
    WHERE ${shop}::text IS NULL OR ((s.slug = ${shop} OR s.id = ${shop}) AND NOT t.archived)
    ORDER BY t.created_at, s.created_at, s.id, t.kind, t.owner_id
    LIMIT 1`.execute(db);
  return rows[0] ?? null;
}

/**
 * One visit per link and client address a day is counted: a repeat within 24 hours gets the
 * first visit's id back (the storefront still attributes through it), so one client cannot
 * inflate the clicks or fill the table. The lock makes simultaneous repeats take turns.
 */
async function countVisit(
  db: Db,
  owner: LinkOwner,
  client: { address: string | null; userAgent: string | null },
  now: Date,
): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const who = `visit:${owner.shop_id}:${owner.owner_id}:${client.address ?? ''}`;
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${who}, 0))`.execute(tx);
    const [table, ownerColumn] =
      owner.kind === 'affiliate'
        ? ['affiliate_visits', 'affiliate_id']
        : ['referral_visits', 'referrer_customer_id'];
    const sameClient =
      client.address === null
        ? sql`client_address IS NULL`
        : sql`client_address = ${client.address}`;
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM ${sql.table(table)}
      WHERE shop_id = ${owner.shop_id} AND ${sql.ref(ownerColumn)} = ${owner.owner_id}
        AND ${sameClient}
        AND visited_at > ${new Date(now.getTime() - DAY_MS)} AND visited_at <= ${now}
      LIMIT 1`.execute(tx);
    const seen = rows[0];
    if (seen) return seen.id;
    const id = newId(owner.kind === 'customer' ? 'rfv' : 'afv');
    await saveVisit(tx, owner, id, client, now);
    return id;
  });
}

async function saveVisit(
  tx: Tx,
  owner: LinkOwner,
  id: string,
  client: { address: string | null; userAgent: string | null },
  now: Date,
): Promise<void> {
  const seen = {
    shop_id: owner.shop_id,
    id,
    client_address: client.address,
    user_agent: client.userAgent?.slice(0, 500) ?? null,
    visited_at: now,
  };
  if (owner.kind === 'affiliate') {
    await tx
      .insertInto('affiliate_visits')
      .values({ ...seen, affiliate_id: owner.owner_id })
      .execute();
    return;
  }
  const campaign = await activeCampaign(tx, owner.shop_id, now);
  await tx
    .insertInto('referral_visits')
    .values({ ...seen, campaign_id: campaign?.id ?? null, referrer_customer_id: owner.owner_id })
    .execute();
}
