import type { Brand } from '../shared/context.ts';

/**
 * The storefront routes' answers the panel reads (http/routes/storefront.ts on the server): the
 * fields it uses, loosely typed where it only shows them.
 */

export interface Programme {
  shop: {
    id: string;
    name: string;
    currency: string;
    locale?: string;
    brand: Brand;
    joinUrl: string | null;
  };
  /** The live earning rules in words; `multiplier` > 1 while a campaign runs. */
  earn: { id: string; text: string; multiplier?: number }[];
  rewards: ProgrammeReward[];
  tiers: { id: string; name: string; threshold?: string; benefits?: string[] }[];
  referral: { friend: string | null; referrer: string | null; termsUrl?: string | null } | null;
  expiryMonths?: number | null;
}

export interface ProgrammeReward {
  id: string;
  name: string;
  pointsCost: number;
  kind?: string;
  description?: string | null;
}

export interface MeReward extends ProgrammeReward {
  available: boolean;
  missingPoints?: number;
  tierRequired?: boolean;
}

export interface Me {
  customer: { id: string; firstName: string | null; joining?: boolean };
  points: {
    available: number;
    pending: number;
    expiringSoon?: { points: number; expiresAt: string }[];
    pendingLots?: { points: number; availableAt: string }[];
  };
  tier: TierProgress | null;
  rewards: MeReward[];
  referral: Referral | null;
  stampCards?: StampCard[];
  coupons?: Coupon[];
}

export interface TierProgress {
  current: { id: string; name: string; benefits?: string[] } | null;
  /** `needed`: what is still missing in the metric's unit (minor units for spend). */
  next: { id: string; name: string; needed: number; progress: number; text?: string } | null;
  metric: string;
}

export interface Referral {
  code: string;
  link: string;
  discount?: string | null;
  /** Ready messages per channel (whatsapp, messenger, sms, email, facebook, copy). */
  share?: { channel: string; subject: string | null; text: string; url: string | null }[];
}

/** A name in both languages, or one string. */
export type Words = string | { pl?: string; en?: string };

export interface StampCard {
  id: string;
  name: Words;
  stamps: number;
  stampsRequired: number;
}

export type Discount =
  | { kind: 'fixed'; amount: number; currency?: string }
  | { kind: 'percentage'; percent: number }
  | { kind: 'free_shipping' }
  | { kind?: string };

export interface Coupon {
  code: string;
  discount?: Discount | null;
  expiresAt?: string | null;
  applyUrl?: string | null;
  /** False while the code is still being created in the shop's platform. */
  ready?: boolean;
}

export interface Redemption {
  id: string;
  pointsSpent: number;
  balanceAfter?: number;
  coupon: {
    code: string;
    applyUrl?: string | null;
    ready?: boolean;
    expiresAt?: string | null;
    discount?: Discount | null;
  } | null;
}

export interface HistoryEntry {
  id: string;
  points: number;
  /** What the entry was for, in words (the server's, in the shopper's language). */
  text: string;
  kind?: string;
  at: string;
}

export interface StampQr {
  payload: string;
  svg: string;
  expiresAt: string;
}
