import type { Kysely, Selectable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database, ReferralCampaignsTable } from '../db/schema.ts';
import { checkReferences, type Reference } from '../db/check-references.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import {
  referralSettings,
  type ReferralCampaignInput,
  type ReferralLanding,
  type ReferralSettings,
} from './referral-settings.ts';

export interface ReferralCampaign {
  id: string;
  name: string;
  startsAt: Date | null;
  endsAt: Date | null;
  archived: boolean;
  landing: ReferralLanding;
  settings: ReferralSettings;
}

export function campaignOf(row: Selectable<ReferralCampaignsTable>): ReferralCampaign {
  return {
    id: row.id,
    name: row.name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    archived: row.archived_at !== null,
    landing: row.landing,
    settings: referralSettings.parse(row.settings),
  };
}

export function campaignView(c: ReferralCampaign) {
  return {
    id: c.id,
    name: c.name,
    startsAt: c.startsAt?.toISOString() ?? null,
    endsAt: c.endsAt?.toISOString() ?? null,
    archived: c.archived,
    landing: c.landing,
    settings: c.settings,
  };
}

/** The campaign new referrals join at `at`: the newest live one whose window holds it. */
export async function activeCampaign(
  db: Kysely<Database>,
  shopId: string,
  at: Date,
): Promise<ReferralCampaign | null> {
  const row = await db
    .selectFrom('referral_campaigns')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', at)]))
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? campaignOf(row) : null;
}

async function loadCampaigns(
  db: Kysely<Database>,
  shopId: string,
  ids: string[],
): Promise<Map<string, ReferralCampaign>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('referral_campaigns')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, campaignOf(r)]));
}

/**
 * Each referral's campaign with the terms the referral was made under (its snapshot), so an
 * edit of the campaign changes only referrals made after it. Keyed by referral id.
 */
export async function campaignsOfReferrals(
  db: Kysely<Database>,
  shopId: string,
  referrals: ReadonlyArray<{ id: string; campaign_id: string; terms: Record<string, unknown> }>,
): Promise<Map<string, ReferralCampaign>> {
  const campaigns = await loadCampaigns(
    db,
    shopId,
    referrals.map((r) => r.campaign_id),
  );
  return new Map(
    referrals.map((r) => [
      r.id,
      { ...campaigns.get(r.campaign_id)!, settings: referralSettings.parse(r.terms) },
    ]),
  );
}

export async function createReferralCampaign(
  db: Db,
  shop: ShopRow,
  input: ReferralCampaignInput,
  now: Date,
) {
  await checkCampaignReferences(db, shop.id, input.settings);
  const row = await db
    .insertInto('referral_campaigns')
    .values({
      shop_id: shop.id,
      id: newId('rfc'),
      name: input.name,
      settings: JSON.stringify(input.settings),
      starts_at: input.startsAt ?? null,
      ends_at: input.endsAt ?? null,
      landing: input.landing ?? 'page',
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return campaignView(campaignOf(row));
}

export async function updateReferralCampaign(
  db: Db,
  shop: ShopRow,
  id: string,
  input: ReferralCampaignInput & { archived?: boolean },
  now: Date,
) {
  await checkCampaignReferences(db, shop.id, input.settings);
  const row = await db
    .updateTable('referral_campaigns')
    .set({
      name: input.name,
      settings: JSON.stringify(input.settings),
      starts_at: input.startsAt ?? null,
      ends_at: input.endsAt ?? null,
      archived_at: input.archived ? now : null,
      ...(input.landing !== undefined && { landing: input.landing }),
    })
    .where('shop_id', '=', shop.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Referral campaign ${id}`);
  return campaignView(campaignOf(row));
}

export async function listReferralCampaigns(db: Db, shop: ShopRow) {
  const rows = await db
    .selectFrom('referral_campaigns')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => campaignView(campaignOf(r)));
}

/** Where GET /r/{code} sends visitors. */
export async function setStorefrontUrl(db: Db, shop: ShopRow, url: string | null) {
  await db.updateTable('shops').set({ storefront_url: url }).where('id', '=', shop.id).execute();
  return { storefrontUrl: url };
}

/** The catalogue rewards a campaign gives must be this shop's own. */
function checkCampaignReferences(
  db: Db,
  shopId: string,
  settings: ReferralCampaignInput['settings'],
) {
  const references: Reference[] = [];
  for (const stage of ['lead', 'main'] as const)
    for (const side of ['referrer', 'friend'] as const) {
      const reward = settings[stage][side];
      if (reward?.kind === 'reward')
        references.push({
          path: `settings.${stage}.${side}.rewardId`,
          kind: 'reward',
          id: reward.rewardId,
        });
    }
  return checkReferences(db, shopId, references);
}
