/** The programme as `GET /v1/programme` and `/v1/programme/versions` give it (docs/points.md). */

/** The part of JSON Schema (2020-12) the rule registry publishes for rule arguments. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
}

export interface RuleKind {
  code: string;
  title: { pl: string; en: string };
  args: JsonSchema;
}

export interface Cap {
  points?: number;
  times?: number;
  period: 'day' | 'week' | 'month' | 'year' | 'lifetime';
}

export interface Rule {
  id: string;
  code: string;
  args: Record<string, unknown>;
  cap?: Cap;
  active: boolean;
}

export interface Settings {
  expiryMonths: number | null;
  refundShortfall: 'negative' | 'absorb';
  pointValue: number;
  returnPointsOnExpiredRewardCoupon: boolean;
  holdoutPercent: number;
  [key: string]: unknown;
}

export interface Programme {
  rules: Rule[];
  campaigns: Record<string, unknown>[];
  settings: Settings;
}

export interface ProgrammeState {
  live: Programme & { version: number; publishedAt: string | null };
  draft: (Programme & { version: number }) | null;
}

export interface Version extends Programme {
  version: number;
  publishedAt: string;
  publishedBy: { type: 'user' | 'api_key' | 'system'; id: string | null; name: string | null };
}

interface Money {
  amount: number;
  currency: string;
}

export interface Backtest {
  from: string;
  to: string;
  orders: number;
  customers: number;
  live: { version: number; points: number; cost: Money };
  draft: { version: number; points: number; cost: Money };
  difference: number;
  customersAffected: number;
  largestDifferences: {
    orderId: string;
    customerId: string;
    live: number;
    draft: number;
    difference: number;
  }[];
}

/** The programme without its version fields: what `PUT /v1/programme/draft` takes. */
export function programmeOf(p: Programme): Programme {
  return {
    rules: p.rules.map((r) => structuredClone(r)),
    campaigns: structuredClone(p.campaigns),
    settings: structuredClone(p.settings),
  };
}
