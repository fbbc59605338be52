import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { RewardRow } from '../rewards/reward-schema.ts';
import type { TierProgramme } from '../tiers/tier-schema.ts';
import { findTierProgramme } from '../tiers/find-tier-programme.ts';
import { liveProgramme } from '../points/live-programme.ts';
import type { Programme } from '../points/programme.ts';
import { activeCampaign, type ReferralCampaign } from '../referrals/manage-referral-campaigns.ts';

/** How long a process keeps a shop's storefront settings; a write through the API forgets them. */
const TTL_MS = 5_000;
/** A cached campaign choice holds for the clock's minute it was made in. */
const CLOCK_SLACK_MS = 60_000;
const LIMIT = 10_000;

export interface ShopStorefront {
  shop: ShopRow;
  /** The live catalogue (not archived); windows and stock are checked when read. */
  rewards: RewardRow[];
  tierProgramme: TierProgramme | null;
  referralCampaign: ReferralCampaign | null;
  hasStampProgrammes: boolean;
  /** The earning programme in force. */
  programme: Programme;
}

/**
 * What every storefront request of a shop needs and changes rarely — the shop, its catalogue,
 * tiers, live referral campaign, whether it runs stamp cards — read once per few seconds instead
 * of on every page view of every shopper. Any write through the shop's API or dashboard forgets
 * the shop's entry in this process at once (http/auth.ts); other processes see it within 5 s.
 */
export class StorefrontCache {
  private entries = new BoundedCache<string, { value: ShopStorefront; until: number; at: number }>(
    LIMIT,
  );

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Loads under way: requests that miss at the same moment share one. */
  private loading = new Map<string, Promise<ShopStorefront | null>>();

  async shop(shopId: string): Promise<ShopStorefront | null> {
    const wall = Date.now();
    const at = this.clock.now().getTime();
    const hit = this.entries.get(shopId);
    if (hit && hit.until > wall && Math.abs(hit.at - at) < CLOCK_SLACK_MS) return hit.value;
    let load = this.loading.get(shopId);
    if (!load) {
      load = this.load(shopId, wall, at).finally(() => this.loading.delete(shopId));
      this.loading.set(shopId, load);
    }
    return load;
  }

  private async load(shopId: string, wall: number, at: number): Promise<ShopStorefront | null> {
    const shop = await this.db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', shopId)
      .executeTakeFirst();
    if (!shop) return null;
    const [rewards, tierProgramme, referralCampaign, stamps, live] = await Promise.all([
      this.db
        .selectFrom('rewards')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('archived_at', 'is', null)
        .orderBy('points_cost')
        .orderBy('id')
        .execute(),
      findTierProgramme(this.db, shopId),
      activeCampaign(this.db, shopId, new Date(at)),
      this.db
        .selectFrom('stamp_programmes')
        .select('id')
        .where('shop_id', '=', shopId)
        .limit(1)
        .executeTakeFirst(),
      liveProgramme(this.db, shopId),
    ]);
    const value = {
      shop,
      rewards,
      tierProgramme,
      referralCampaign,
      hasStampProgrammes: stamps !== undefined,
      programme: live.programme,
    };
    this.entries.set(shopId, { value, until: wall + TTL_MS, at });
    return value;
  }

  forget(shopId: string): void {
    this.entries.delete(shopId);
    this.loading.delete(shopId);
  }
}

/** The rewards a shopper may see at `now`: within their window and in stock. */
export function rewardsOnShow(rewards: readonly RewardRow[], now: Date): RewardRow[] {
  return rewards.filter(
    (r) =>
      (r.starts_at === null || r.starts_at <= now) &&
      (r.ends_at === null || r.ends_at > now) &&
      (r.stock === null || r.stock > 0),
  );
}
