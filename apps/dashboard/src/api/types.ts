/** The shapes of the API answers the dashboard reads (see docs/API and /openapi.json). */

export type Role = 'owner' | 'admin' | 'marketer' | 'support' | 'analyst';

export interface Me {
  user: { id: string; email: string; name: string; twoFactor?: boolean };
  shops: { id: string; name: string; role: Role }[];
}

export interface Shop {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: string;
}

export interface PeriodSummary {
  from: string;
  to: string;
  currency: string;
  orders: number;
  revenue: number;
  customers: number;
  aov: number;
  repeatPurchaseRate: number;
  newCustomers: number;
  returningCustomers: number;
  revenueFromReturning: number;
  revenueFromGuests: number;
}

export interface Summary extends PeriodSummary {
  previous: PeriodSummary;
  change: Record<string, number | null>;
}

export interface PointsActivity {
  issued: number;
  redeemed: number;
  expired: number;
  redemptionRate: number | null;
}

export interface Liability {
  members: number;
  points: { outstanding: number };
  value: { amount: number; currency: string };
}

export interface MessageResults {
  results: { sent: number }[];
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}
