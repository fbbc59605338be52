import { api } from '../../api/client.ts';
import { addDays } from '../../i18n/format.ts';

/** The analytics pages' tabs, each its own address: /admin/analytics/<tab>. */
export const TABS = ['cohorts', 'repeat', 'clv', 'points', 'lift', 'messages', 'benefits'] as const;
export type Tab = (typeof TABS)[number];

/** The periods offered, in calendar months ending with the current one. */
export const MONTHS = [6, 12, 24] as const;
export type Months = (typeof MONTHS)[number];

export interface Range {
  from: string;
  /** exclusive */
  to: string;
}

/** From the 1st of the month `months − 1` months back to today inclusive (shop days). */
export function monthsRange(today: string, months: number): Range {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - (months - 1);
  const from = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(today, 1) };
}

export interface Cohort {
  cohort: string;
  customers: number;
  retention: number[];
}

export interface Difference {
  difference: number;
  relative: number | null;
  ci95: [number, number];
  pValue: number | null;
}

export interface LiftGroup {
  customers: number;
  revenuePerCustomer: number;
  repeatRate: number;
  retention90: number | null;
}

export interface Lift {
  from: string;
  to: string;
  holdoutPercent: number;
  members: LiftGroup;
  holdout: LiftGroup;
  lift: {
    revenuePerCustomer: Difference | null;
    repeatRate: Difference | null;
    retention90: Difference | null;
  } | null;
  note: string | null;
}

export interface Repeat {
  customers: number;
  asOf: string;
  medianDaysToSecondOrder: number | null;
  timeToSecondOrder: { upToDays: number | null; customers: number }[];
  repeatCurve: { days: number; eligible: number; repeaters: number; rate: number | null }[];
  retentionCurve: { month: number; cohortCustomers: number; active: number; rate: number | null }[];
}

export interface Rfm {
  asOf: string;
  recencyBounds: number[];
  frequencyBounds: number[];
  cells: {
    recency: number;
    frequency: number;
    customers: number;
    revenue: number;
    revenuePerCustomer: number;
  }[];
}

export interface NewVsReturning {
  revenue: number;
  revenueFromNew: number;
  revenueFromReturning: number;
  revenueFromGuests: number;
  newCustomers: number;
  returningCustomers: number;
}

export interface CustomerValue {
  customerId: string;
  email: string | null;
  probabilityAlive: number;
  expectedPurchases: number;
  predictedClv: number | null;
  historicalRevenue: number;
  lastOrderOn: string | null;
}

export interface Clv {
  model: {
    fittedAt: string;
    /** When the customers were last scored; the scoring after the latest fit still runs. */
    predictionsScoredAt: string | null;
    predictionsPending: boolean;
    calibrationEnd: string;
    customers: number;
    bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number };
    gammaGamma: { p: number; q: number; v: number } | null;
  } | null;
  distribution?: { upTo: number | null; customers: number; value: number }[];
  topByValue?: CustomerValue[];
  topByProbabilityAlive?: CustomerValue[];
  atRisk?: CustomerValue[];
}

export interface ClvFit {
  customers: number;
  holdout?: {
    holdoutEnd: string;
    weeks: number;
    predictedPurchases: number;
    actualPurchases: number;
  };
}

export interface SeriesStep {
  from: string;
  to: string;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
}

export interface PointsActivity {
  issued: number;
  redeemed: number;
  expired: number;
  breakage: number | null;
  redemptionRate: number | null;
  redeemedValue: { amount: number; currency: string };
}

export interface Liability {
  asOf: string;
  pointValue: number;
  members: number;
  points: { outstanding: number };
  value: { amount: number; currency: string };
  expiring: { next90Days: { points: number; value: { amount: number } } };
}

export interface MessageRow {
  channel: string;
  purpose: string;
  queued: number;
  sent: number;
  delivered: number;
  suppressed: number;
  opened: number;
  clicked: number;
  converted: number;
  revenue: number;
  openRate: number | null;
  clickRate: number | null;
  conversionRate: number | null;
}

export interface BenefitVariant {
  variant: string;
  benefit: string | null;
  runs: number;
  granted: number;
  pointsGranted: number;
  uptake: number | null;
  unitCost: number | null;
  costPerCustomer: number;
  discountGiven: number;
  secondPurchases: number;
  secondPurchaseRate: number | null;
  medianDaysToSecondOrder: number | null;
  aov: number | null;
  revenuePerCustomer: number;
  netMarginPerCustomer: number | null;
  againstHoldout: {
    secondPurchaseRate: Difference | null;
    aov: Difference | null;
    netMarginPerCustomer: Difference | null;
  } | null;
}

export interface Benefits {
  days: number;
  marginPercent: number | null;
  flows: { flowId: string; name: string; variants: BenefitVariant[] }[];
}

export const loadCohorts = (r: Range) =>
  api<{ cohorts: Cohort[] }>('GET', '/v1/analytics/cohorts', { query: { ...r } });
export const loadLift = (r: Range) => api<Lift>('GET', '/v1/analytics/lift', { query: { ...r } });
export const loadRepeat = (r: Range) =>
  api<Repeat>('GET', '/v1/analytics/repeat', { query: { ...r } });
export const loadRfm = () => api<Rfm>('GET', '/v1/analytics/rfm');
export const loadSummary = (r: Range) =>
  api<NewVsReturning>('GET', '/v1/analytics/summary', { query: { ...r } });
export const loadClv = () => api<Clv>('GET', '/v1/analytics/clv');
export const fitClv = (body: { calibrationEnd: string; holdoutEnd: string }) =>
  api<ClvFit>('POST', '/v1/analytics/clv/fit', { body });
export const loadPointsSeries = (r: Range) =>
  api<{ data: SeriesStep[] }>('GET', '/v1/analytics/series', { query: { ...r, step: 'month' } });
export const loadPointsActivity = (r: Range) =>
  api<PointsActivity>('GET', '/v1/points/activity', { query: { ...r } });
export const loadLiability = () => api<Liability>('GET', '/v1/points/liability');
export const loadMessages = (r: Range) =>
  api<{ results: MessageRow[] }>('GET', '/v1/analytics/messages', { query: { ...r } });
export const loadBenefits = (
  r: Range,
  options: { days: number; margin?: number; costs?: string; category?: string; segment?: string },
) =>
  api<Benefits>('GET', '/v1/analytics/benefits', {
    query: {
      ...r,
      days: options.days,
      margin: options.margin,
      costs: options.costs || undefined,
      category: options.category || undefined,
      segment: options.segment || undefined,
    },
  });

export interface BalanceMonth {
  month: string;
  end: string;
  points: number;
  value: number;
}

export const loadPointsBalance = (r: Range) =>
  api<{ pointValue: number; data: BalanceMonth[] }>('GET', '/v1/analytics/points-balance', {
    query: { ...r },
  });

export const loadSegments = () =>
  api<{ data: { id: string; name: string }[] }>('GET', '/v1/segments');
