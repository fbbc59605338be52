import type { Db } from '../../db/connect.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ShopRow } from '../../shops/shop.ts';
import { publishDraft, saveDraft } from '../../points/manage-programme.ts';
import { saveTierProgramme } from '../../tiers/manage-tiers.ts';
import { createAchievement } from '../../achievements/manage-achievements.ts';
import { createCampaign } from '../../coupons/manage-campaigns.ts';
import { enableReadyFlow } from '../../automations/manage-flows.ts';
import { saveSocialProofSettings } from '../../social-proof/social-proof-settings.ts';

const DEMO = 'demo';

/**
 * What a newcomer should see in the demo shop beyond the defaults: a richer points programme
 * (first-order bonus, birthdays, reviews, a 10% holdout to measure lift), two VIP tiers, two
 * badges and a win-back code. Set before the demo year is ingested, so it all applies to it.
 */
export async function configureDemoProgramme(db: Db, clock: Clock, shop: ShopRow): Promise<void> {
  // Besides the welcome series every shop has: the flows a café or small shop switches on first.
  for (const flow of [
    'birthday',
    'name_day',
    'win_back',
    'points_expiring',
    'tier_upgrade',
    'abandoned_cart',
    'referral_thank_you',
  ])
    await enableReadyFlow(db, clock, shop, flow);
  await saveDraft(db, shop, {
    rules: [
      {
        id: 'spend',
        code: 'spend',
        args: { pointsPerUnit: 1, categoryMultipliers: [{ categoryId: 'kawa', multiplier: 2 }] },
      },
      { id: 'first-order', code: 'first_order', args: { points: 50 } },
      { id: 'birthday', code: 'birthday', args: { points: 100 } },
      { id: 'name-day', code: 'name_day', args: { points: 50 } },
      {
        id: 'review',
        code: 'review',
        args: { points: 20, withPhotoPoints: 50 },
        cap: { times: 3, period: 'month' },
      },
    ],
    settings: { holdoutPercent: 10 },
  });
  await publishDraft(db, clock, shop, DEMO);
  // Social proof on the demo storefront (/demo/shop): counts and cities, never names.
  await saveSocialProofSettings(db, clock, { shopId: shop.id, enabled: true });
  await saveTierProgramme(
    db,
    clock,
    shop,
    {
      metric: 'spend',
      period: 'rolling_12_months',
      graceDays: 30,
      atRiskDaysBefore: 30,
      tiers: [
        {
          id: 'srebrny',
          name: { pl: 'Srebrny', en: 'Silver' },
          entryThreshold: 50_000,
          retainThreshold: 40_000,
          benefits: { pointsMultiplier: 1.25 },
        },
        {
          id: 'zloty',
          name: { pl: 'Złoty', en: 'Gold' },
          entryThreshold: 150_000,
          retainThreshold: 120_000,
          benefits: {
            pointsMultiplier: 1.5,
            birthdayMultiplier: 2,
            perks: [{ code: 'monthly_free_shipping' }, { code: 'early_access' }],
          },
        },
      ],
    },
    DEMO,
  );
  await createAchievement(db, clock, shop, {
    name: { pl: 'Stały bywalec', en: 'Regular' },
    description: { pl: 'Trzy zamówienia w 90 dni', en: 'Three orders in 90 days' },
    condition: { kind: 'orders_count', threshold: 3, windowDays: 90 },
    points: 100,
  });
  await createAchievement(db, clock, shop, {
    name: { pl: 'Odkrywca herbat', en: 'Tea explorer' },
    condition: { kind: 'category_bought', categoryId: 'herbata' },
    points: 30,
  });
  await createCampaign(db, clock, shop, {
    name: 'Wróć do nas',
    code: 'WRACAJ15',
    discount: { kind: 'percentage', percent: 15, cap: 5000 },
    minBasket: 10_000,
    usesPerCustomer: 1,
    productIds: [],
    categoryIds: [],
    excludeProductIds: [],
    excludeCategoryIds: [],
    firstOrderOnly: false,
    stackable: false,
    returnUseOnCancel: true,
  });
}
