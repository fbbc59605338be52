import { z } from 'zod';
import { amountSchema } from '../shared/bounds.ts';

/** A reward for one side of a referral: points, a coupon, or a reward from the catalogue. */
export const referralReward = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('points'), points: z.number().int().min(1).max(1_000_000) }),
  z.object({
    kind: z.literal('coupon'),
    discount: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('fixed'), amount: amountSchema.min(1) }),
      z.object({
        kind: z.literal('percentage'),
        percent: z.number().positive().max(100),
        cap: amountSchema.min(1).nullish(),
      }),
    ]),
    minBasket: amountSchema.nullish(),
    validDays: z.number().int().positive().default(30),
  }),
  z.object({ kind: z.literal('reward'), rewardId: z.string().min(1) }),
]);
export type ReferralReward = z.infer<typeof referralReward>;

const sides = z
  .object({ referrer: referralReward.nullish(), friend: referralReward.nullish() })
  .default({});

/** A campaign's terms; stored as JSON in referral_campaigns.settings. */
export const referralSettings = z.object({
  /** Given when the friend signs up (small); null for none. */
  lead: sides,
  /**
   * Given when the friend's first qualifying purchase has passed its return window; with
   * `everyPurchaseUpTo: N`, again for each further qualifying purchase, up to N in all.
   */
  main: z
    .object({
      referrer: referralReward.nullish(),
      friend: referralReward.nullish(),
      everyPurchaseUpTo: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(1)
        .describe('how many of the friend’s purchases earn the main reward (1: the first only)'),
    })
    .prefault({}),
  /** The friend's first-order discount when the referral code is used at checkout. */
  friendDiscount: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('fixed'), amount: amountSchema.min(1) }),
      z.object({
        kind: z.literal('percentage'),
        percent: z.number().positive().max(100),
        cap: amountSchema.min(1).nullish(),
      }),
    ])
    .nullish(),
  minOrderValue: amountSchema.default(0),
  /** Hold the main reward until the shop's return window after the order has passed. */
  holdForReturnWindow: z.boolean().default(true),
  /** Main rewards per referrer per calendar month (UTC); null = no cap. */
  monthlyCapPerReferrer: z.number().int().positive().nullish(),
  termsUrl: z.url().nullish(),
  attributionWindowDays: z.number().int().positive().default(30),
  attribution: z.enum(['first_touch', 'last_touch']).default('first_touch'),
  /** What one point costs the shop, in minor units (for reward cost figures). */
  pointValue: z.number().min(0).max(10_000).default(1),
  fraud: z
    .object({
      flagAt: z.number().int().positive().default(50),
      rejectAt: z.number().int().positive().default(100),
      sameClientHours: z.number().int().positive().default(72),
      velocityPerWeek: z.number().int().positive().default(3),
      leakedCodeFriends: z.number().int().positive().default(10),
      leakedCodeHours: z.number().int().positive().default(24),
    })
    .prefault({}),
});
export type ReferralSettings = z.infer<typeof referralSettings>;

/** What a campaign's links show: the landing page (default) or a plain redirect to the shop. */
export const referralLanding = z
  .enum(['page', 'redirect'])
  .describe(
    "what the campaign's referral links show: `page` (the referrer's first name, the friend's offer and the code, then on to the shop) or `redirect` (straight to the storefront)",
  );
export type ReferralLanding = z.infer<typeof referralLanding>;

export const referralCampaignInput = z.object({
  name: z.string().trim().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }).nullish(),
  endsAt: z.iso.datetime({ offset: true }).nullish(),
  landing: referralLanding
    .optional()
    .describe(
      "what the campaign's links show: `page` (default on create) or `redirect`; left out on PUT, it stays as it was",
    ),
  settings: referralSettings,
});
export type ReferralCampaignInput = z.infer<typeof referralCampaignInput>;
