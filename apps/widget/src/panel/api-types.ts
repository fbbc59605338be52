import type { Brand } from '../shared/context.ts';

/** The storefront routes' answers the panel reads (API.md "Storefront"), loosely: what it uses. */

export interface Programme {
  shop: {
    id: string;
    name: string;
    currency: string;
    locale?: string;
    brand: Brand;
    joinUrl: string | null;
  };
  earn: { id: string; text: string; points?: number | null }[];
  rewards: ProgrammeReward[];
  tiers: ProgrammeTier[];
  referral: { offer?: string | null; text?: string | null } | null;
}

export interface ProgrammeReward {
  id: string;
  name: string;
  pointsCost: number;
  kind?: string;
  description?: string | null;
}

export interface ProgrammeTier {
  id?: string;
  name: string;
  description?: string | null;
  text?: string | null;
}

export interface Me {
  customer: { id: string; firstName: string | null };
  points: {
    available: number;
    pending: number;
    expiringSoon?: { points: number; expiresAt: string }[];
    pendingLots?: { points: number; availableAt: string }[];
  };
  tier: TierProgress | null;
  rewards: { id: string; name: string; pointsCost: number; available: boolean }[];
  referral: { code: string; link: string; shareMessage?: string | null } | null;
  stampCards?: StampCard[];
  coupons?: Coupon[];
}

export interface TierProgress {
  current: { id?: string; name: string } | null;
  next: { id?: string; name: string } | null;
  /** What is still needed for the next tier: money (minor units), orders or points. */
  remaining?: { amount?: number | null; orders?: number | null; points?: number | null } | null;
  /** 0…1 of the way to the next tier, when the server says. */
  progress?: number | null;
}

export interface StampCard {
  id: string;
  name: string;
  stamps: number;
  stampsRequired: number;
}

export interface Coupon {
  code: string;
  name?: string | null;
  expiresAt?: string | null;
  applyUrl?: string | null;
}

export interface Redemption {
  id: string;
  pointsSpent: number;
  coupon: { code: string; applyUrl?: string | null; expiresAt?: string | null } | null;
}

export interface HistoryEntry {
  id: string;
  points: number;
  /** What the entry was for, in words (the server's). */
  description?: string | null;
  reason?: string | null;
  kind?: string | null;
  createdAt: string;
}

export interface StampQr {
  payload: string;
  svg: string;
  expiresAt: string;
}
