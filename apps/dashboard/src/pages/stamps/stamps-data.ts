import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';

/** The shapes of /v1/stamp-cards and /v1/staff (see docs/stamps.md). */
export type EarnBy = 'visit' | 'order' | 'product';
export const EARN_BY: EarnBy[] = ['visit', 'order', 'product'];
export type DiscountKind = 'fixed' | 'percentage' | 'free_shipping' | 'free_product';
export const DISCOUNT_KINDS: DiscountKind[] = [
  'fixed',
  'percentage',
  'free_shipping',
  'free_product',
];

export type StampReward =
  | {
      type: 'coupon';
      name?: { pl: string; en: string };
      discount: {
        kind: DiscountKind;
        amount?: number;
        percent?: number;
        cap?: number;
        productId?: string;
      };
      minBasket?: number;
      validDays?: number;
    }
  | { type: 'reward'; rewardId: string };

export interface StampProgramme {
  id: string;
  name: string;
  names: { pl: string; en: string };
  stampsRequired: number;
  earnBy: EarnBy;
  productIds: string[];
  categoryIds: string[];
  minOrder: number | null;
  dailyLimit: number | null;
  reward: StampReward;
  active: boolean;
}

export interface StaffMember {
  id: string;
  name: string;
  role: 'staff' | 'manager';
  hint: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CatalogueReward {
  id: string;
  name: string;
  pointsCost: number;
}

/** route-roles: stamp cards are written by the programme's editors, staff devices by managers. */
export const STAMP_EDITORS: Role[] = ['owner', 'admin', 'marketer'];
export const STAFF_MANAGERS: Role[] = ['owner', 'admin'];

export const loadProgrammes = () => api<StampProgramme[]>('GET', '/v1/stamp-cards');
export const loadStaff = () => api<StaffMember[]>('GET', '/v1/staff');
export const loadRewards = () => api<CatalogueReward[]>('GET', '/v1/rewards');
