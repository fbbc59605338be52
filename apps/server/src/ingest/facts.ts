import type { ShippingAddress } from '../db/schema.ts';

/**
 * What Lojal learns from an inbound event, independent of where it came from. Platform
 * adapters turn payloads into these commands (pure functions); ingest/apply-events.ts applies them.
 * Every fact carries the time the sender says it was true, so late deliveries lose to newer data.
 */
export interface CustomerFacts {
  externalId: string;
  /** undefined = not mentioned (keep); null = explicitly empty. */
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  birthday?: string | null;
  acceptsEmailMarketing?: boolean | null;
  acceptsSmsMarketing?: boolean | null;
  tags?: string[];
  asOf: Date;
  /**
   * asOf is only when Lojal received the data (the sender gave no time): on a tie of times, the
   * later-processed facts win, as receipt order is the best order known.
   */
  asOfIsReceipt?: boolean;
  /** Imported history: a customer met in a backfill gets no welcome points and no welcome series. */
  history?: boolean;
}

export interface LineFacts {
  externalId: string | null;
  productId: string | null;
  variantId: string | null;
  sku: string | null;
  title: string | null;
  categoryIds: string[];
  quantity: number;
  unitPrice: number;
  /** What the buyer typed on the product page (gift-cards/line-properties.ts reads them). */
  properties?: Record<string, string>;
}

export interface OrderFacts {
  externalId: string;
  customer: CustomerFacts | null;
  email: string | null;
  currency: string;
  total: number;
  subtotal: number | null;
  shipping: number | null;
  tax: number | null;
  discount: number | null;
  discountCodes: string[];
  /** undefined = not mentioned (keep); null = none. */
  shippingAddress?: ShippingAddress | null;
  /** The language the buyer shopped in (Shopify's customer_locale), when Lojal speaks it. */
  customerLocale?: 'pl' | 'en' | null;
  lines: LineFacts[];
  placedAt: Date;
  paidAt: Date | null;
  cancelledAt: Date | null;
  fulfilledAt: Date | null;
  asOf: Date;
  /** Imported history: counts for analytics, tiers and CLV, earns no points, sends nothing. */
  history?: boolean;
}

export interface RefundFacts {
  orderExternalId: string;
  externalId: string;
  amount: number;
  currency: string;
  reason: string | null;
  refundedAt: Date;
  /** The order lines the refund names (their external ids), when the platform says. */
  lineExternalIds?: string[];
}

/** Something a customer did that is not an order: a review, a newsletter sign-up, a follow… */
export interface ActivityFacts {
  customer: CustomerFacts;
  type: string;
  externalId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** A product of the shop's catalogue: names and pictures for reviews, e-mails and the widget. */
export interface ProductFacts {
  externalId: string;
  name: string;
  url: string | null;
  imageUrl: string | null;
  /** Minor units in `currency`; null when the platform gives none. */
  price: number | null;
  currency: string | null;
  categoryIds: string[];
  /** False when the platform says it is deleted, hidden or a draft. */
  active: boolean;
  asOf: Date;
}

/** A customer's request for their personal data, relayed by a platform. */
export interface DataRequestFacts {
  customerExternalId: string;
  /** The platform's id of the request, shown to the shop and making the task once. */
  requestId: string | null;
  source: string;
  requestedAt: Date;
}

export type Command =
  | { kind: 'customer'; customer: CustomerFacts }
  | { kind: 'order'; order: OrderFacts }
  | { kind: 'refund'; refund: RefundFacts }
  | { kind: 'cancel'; orderExternalId: string; cancelledAt: Date }
  | { kind: 'fulfil'; orderExternalId: string; fulfilledAt: Date }
  | { kind: 'redact-customer'; externalId: string; request?: ErasureRequest }
  /** A customer asks for their data (Shopify customers/data_request): a task for the shop. */
  | { kind: 'data-request'; request: DataRequestFacts }
  /** Erase the personal data of the whole shop (Shopify shop/redact): ingest/erase-shop.ts. */
  | { kind: 'redact-shop'; platformShop: string }
  | { kind: 'activity'; activity: ActivityFacts }
  | { kind: 'product'; product: ProductFacts }
  | { kind: 'ignore'; reason: string };

/** Raised by an adapter when a payload lacks what its topic needs; the event is parked. */
export class PayloadError extends Error {}

/** Who asked for an erasure and on which basis (recorded in customer_erasures, without the data). */
export interface ErasureRequest {
  /** "user:usr_…", "api_key:key_…", "customer (portal)", "shopify", "retention policy". */
  by: string;
  /** "RODO art. 17 request", "Shopify customers/redact", "retention: inactive 3 years". */
  basis: string;
  reason?: string;
  requestedAt?: Date;
}
