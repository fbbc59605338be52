import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';

/** The shapes of /v1/tiers, /v1/tiers/members and /v1/tiers/preview (see docs/tiers.md). */
export type TierMetric = 'spend' | 'points_earned' | 'orders';
export type TierPeriod = 'rolling_12_months' | 'calendar_year' | 'lifetime';
export const METRICS: TierMetric[] = ['spend', 'points_earned', 'orders'];
export const PERIODS: TierPeriod[] = ['rolling_12_months', 'calendar_year', 'lifetime'];

export interface Perk {
  code: string;
  title?: { pl: string; en: string };
  config?: Record<string, unknown>;
}

export interface Tier {
  id: string;
  name: { pl: string; en: string };
  entryThreshold: number;
  retainThreshold: number;
  benefits: { pointsMultiplier: number; birthdayMultiplier: number; perks: Perk[] };
  rank?: number;
}

export interface TierProgramme {
  metric: TierMetric;
  period: TierPeriod;
  graceDays: number;
  atRiskDaysBefore: number;
  tiers: Tier[];
}

export interface TierMembers {
  customers: number;
  withoutTier: number;
  tiers: { id: string; name: { pl: string; en: string }; members: number; manual: number }[];
}

export interface TierPreview {
  customers: number;
  movingUp: number;
  movingDown: number;
  manual: number;
  withoutTier: { now: number; after: number };
  tiers: { id: string; rank: number; now: number; after: number }[];
}

/** Who may change the programme (route-roles: PUT /v1/tiers, POST /v1/tiers/preview). */
export const TIER_EDITORS: Role[] = ['owner', 'admin', 'marketer'];

/** The programme, or null while the shop has none (404). */
export async function loadProgramme(): Promise<TierProgramme | null> {
  try {
    return await api<TierProgramme>('GET', '/v1/tiers');
  } catch (error) {
    if (error instanceof Error && 'status' in error && error.status === 404) return null;
    throw error;
  }
}

export const loadMembers = () => api<TierMembers>('GET', '/v1/tiers/members');
export const previewProgramme = (body: unknown) =>
  api<TierPreview>('POST', '/v1/tiers/preview', { body });
export const saveProgramme = (body: unknown) => api<TierProgramme>('PUT', '/v1/tiers', { body });

/** A new shop's first programme, to start from. */
export const STARTER: TierProgramme = {
  metric: 'spend',
  period: 'rolling_12_months',
  graceDays: 30,
  atRiskDaysBefore: 30,
  tiers: [
    {
      id: 'silver',
      name: { pl: 'Srebrny', en: 'Silver' },
      entryThreshold: 100_000,
      retainThreshold: 80_000,
      benefits: { pointsMultiplier: 1.5, birthdayMultiplier: 1, perks: [] },
    },
    {
      id: 'gold',
      name: { pl: 'Złoty', en: 'Gold' },
      entryThreshold: 300_000,
      retainThreshold: 250_000,
      benefits: { pointsMultiplier: 2, birthdayMultiplier: 2, perks: [] },
    },
  ],
};
