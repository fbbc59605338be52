import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';

/** The shapes of the customer routes the Customers area reads (see /openapi.json). */
export interface LocalName {
  pl: string;
  en: string;
}
export interface Money {
  amount: number;
  currency: string;
}

export interface CustomerRow {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  redacted: boolean;
  pointsAvailable: number;
  tier: { id: string; name: LocalName } | null;
  ordersCount: number;
  lastOrderAt: string | null;
  createdAt: string;
}

export interface CustomerPage {
  data: CustomerRow[];
  nextAfter: string | null;
}

export interface Segment {
  id: string;
  name: string;
  builtIn: boolean;
}

export interface TierProgramme {
  tiers: { id: string; name: LocalName; entryThreshold: number }[];
  metric: 'spend' | 'orders' | 'points_earned';
}

export type LedgerCause =
  | { type: 'order'; orderId: string | null; rule: { id: string; code: string | null } | null }
  | { type: 'rule'; rule: { id: string; code: string | null } | null }
  | { type: 'redemption'; redemptionId: string | null; rewardId: string | null }
  | { type: 'adjustment'; reason: string | null; actor: string | null }
  | { type: 'expiry'; lotEntryId: string | null }
  | {
      type: 'reversal';
      reversesEntryId: string | null;
      reason: string | null;
      orderId: string | null;
      refundId: string | null;
      redemptionId: string | null;
    };

export interface LedgerEntry {
  id: string;
  points: number;
  kind: 'earn' | 'redeem' | 'expire' | 'reverse' | 'adjust';
  balanceAfter: number;
  createdAt: string;
  availableAt: string | null;
  expiresAt: string | null;
  cause: LedgerCause;
}

export interface TierStanding {
  current: {
    id: string;
    name: LocalName;
    manual: boolean;
    manualUntil: string | null;
    reviewAt: string | null;
  } | null;
  metric: 'spend' | 'orders' | 'points_earned';
  value: number;
  next: { id: string; name: LocalName; threshold: number; needed: number; progress: number } | null;
}

export interface Customer360 {
  customer: {
    id: string;
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
    birthday: string | null;
    tags: string[];
    redacted: boolean;
    points: {
      available: number;
      pending: number;
      lifetimeEarned: number;
      debt: number;
      expiringSoon: { points: number; expiresAt: string }[];
    };
    tier: TierStanding | null;
    referralCode: string | null;
    orders: { count: number; totalSpent: Money; lastOrderAt: string | null };
    createdAt: string;
  };
  consent: {
    byPurpose: {
      channel: string;
      purpose: string;
      granted: boolean;
      source: string;
      changedAt: string | null;
    }[];
    history: {
      id: string;
      channel: string;
      purpose: string;
      granted: boolean;
      source: string;
      textShown: string | null;
      clientAddress: string | null;
      userAgent: string | null;
      occurredAt: string;
    }[];
  };
  messages: Record<string, unknown>[];
  surveys: Record<string, unknown>[];
  referrals: { referralCode: string | null; made: Record<string, unknown>[] };
  orders: {
    id: string;
    total: Money;
    refunded: Money;
    discountCodes: string[];
    placedAt: string;
    status: string;
  }[];
  ledger: LedgerEntry[];
  coupons: {
    code: string;
    source: string;
    expiresAt: string | null;
    used: number;
    usageLimit: number | null;
    createdAt: string;
  }[];
  stampCards: Record<string, unknown>[];
  notes: { id: string; body: string; author: string; createdAt: string }[];
  tasks: {
    id: string;
    title: string;
    dueAt: string | null;
    status: 'open' | 'done' | 'cancelled';
    createdBy: string;
    createdAt: string;
  }[];
}

const SUPPORT_ROLES: Role[] = ['owner', 'admin', 'support'];
const MANAGE_ROLES: Role[] = ['owner', 'admin'];

/** What the signed-in person's role lets them do here (the server checks again: 403). */
export function usePermissions() {
  const { membership } = useShop();
  return {
    serve: SUPPORT_ROLES.includes(membership.role),
    erase: MANAGE_ROLES.includes(membership.role),
    // GET /v1/customers/:customerId/printables/:kind.pdf: SERVICE in route-roles.
    print: membership.role !== 'analyst',
  };
}

export function customerKey(shopId: string, customerId: string) {
  return ['customer360', shopId, customerId] as const;
}

export function useCustomer360(customerId: string) {
  const { membership } = useShop();
  return useQuery({
    queryKey: customerKey(membership.id, customerId),
    queryFn: () => api<Customer360>('GET', `/v1/customers/${encodeURIComponent(customerId)}/360`),
  });
}

export function useSegments() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['segments', membership.id],
    queryFn: () => api<{ data: Segment[] }>('GET', '/v1/segments'),
    staleTime: 60_000,
  });
}

export function useTiers() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['tiers', membership.id],
    // a shop without a tier programme answers 404: no tiers to filter by or assign
    queryFn: async () => {
      try {
        return await api<TierProgramme>('GET', '/v1/tiers');
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** A tier's name in the interface language. */
export function useLocalName() {
  const { locale } = useLocale();
  return (name: LocalName) => name[locale];
}

/** Dates and times in the shop's time zone, in the interface language. */
export function useDateFormat() {
  const { locale } = useLocale();
  const { shop } = useShop();
  const timeZone = shop?.timezone ?? 'Europe/Warsaw';
  return useMemo(() => {
    const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
    const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone });
    const dateTime = new Intl.DateTimeFormat(tag, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    });
    return {
      date: (iso: string) => date.format(new Date(iso)),
      dateTime: (iso: string) => dateTime.format(new Date(iso)),
    };
  }, [locale, timeZone]);
}

/** "Anna Nowak", else the e-mail, else the id. */
export function displayName(c: {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return name || c.email || c.id;
}
