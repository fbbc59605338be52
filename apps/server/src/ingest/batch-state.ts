import type { Selectable } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { CustomersTable, OrdersTable } from '../db/schema.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import type { Locale } from '../shared/i18n.ts';
import type { LineFacts, ProductFacts } from './facts.ts';

export type CustomerRow = Selectable<CustomersTable>;
export type OrderRow = Selectable<OrdersTable>;

export interface RefundRow {
  id: string;
  orderId: string;
  externalId: string;
  amount: number;
  currency: string;
  reason: string | null;
  refundedAt: Date;
}

/** A task for the shop's staff (customer_tasks), made by an event. */
export interface TaskRow {
  id: string;
  customerId: string;
  title: string;
  dueAt: Date | null;
  source: string;
}

export interface ActivityRow {
  id: string;
  customerId: string;
  type: string;
  externalId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * A shop's customers and orders touched by one batch of inbound events, held in memory while
 * the batch's commands are applied in order (pure functions), then saved in a few statements.
 * This is "compute, then apply": the decisions never wait on the database.
 */
export interface BatchState {
  shopId: string;
  now: Date;
  /** Where the shop's customers write local phone numbers (shared/phone.ts phoneRegionOf). */
  phoneRegion: CountryCode | undefined;
  /** The shop's language, for the tasks events make. */
  locale: Locale;
  /** What the event being applied kept back, with why (a phone that is no number): its reason. */
  notes: string[];
  customers: Map<string, CustomerRow>;
  orders: Map<string, OrderRow>;
  /** Lojal ids of the rows that must be written. */
  dirtyCustomers: Set<string>;
  dirtyOrders: Set<string>;
  /** Orders whose lines were replaced (by Lojal order id). */
  newLines: Map<string, LineFacts[]>;
  /** `${orderId}|${refund external id}` of every refund known, stored or new. */
  refundKeys: Set<string>;
  newRefunds: RefundRow[];
  newActivities: ActivityRow[];
  newTasks: TaskRow[];
  /** A verified shop/redact asked to erase the shop's personal data (ingest/erase-shop.ts). */
  eraseShop: boolean;
  /** Products described in this batch, by external id: the newest description of each. */
  products: Map<string, ProductFacts>;
  /** Customers redacted in this batch: their stored orders lose the e-mail too. */
  redacted: Set<string>;
  /** E-mail addresses and phone numbers erased in this batch, to scrub from raw deliveries. */
  erased: Set<string>;
  /** What parked events wait for; an order's arrival wakes them. */
  parked: Set<string>;
  woken: Set<string>;
  domainEvents: DomainEvent[];
}

export function emptyBatchState(
  shopId: string,
  now: Date,
  phoneRegion?: CountryCode,
  locale: Locale = 'en',
): BatchState {
  return {
    shopId,
    now,
    phoneRegion,
    locale,
    notes: [],
    customers: new Map(),
    orders: new Map(),
    dirtyCustomers: new Set(),
    dirtyOrders: new Set(),
    newLines: new Map(),
    refundKeys: new Set(),
    newRefunds: [],
    newActivities: [],
    newTasks: [],
    eraseShop: false,
    products: new Map(),
    redacted: new Set(),
    erased: new Set(),
    parked: new Set(),
    woken: new Set(),
    domainEvents: [],
  };
}

/** What a parked event that needs this order waits for. */
export function waitingForOrder(externalId: string): string {
  return `order:${externalId}`;
}
