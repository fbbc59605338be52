import { z } from 'zod';
import {
  amountSchema as minor,
  currencySchema as currency,
  lineValueWithinBounds,
  quantitySchema,
} from '../shared/bounds.ts';
import { EARLIEST_BIRTHDAY, type ClientTime } from '../shared/client-time.ts';
import type { Command, CustomerFacts } from './facts.ts';
import type { Delivery } from './inbox-writer.ts';

// The shapes of POST /v1/events (API.md "Inbound events"). Money is integer minor units, each
// amount within shared/bounds.ts; times must not lie in the future (apiEventTimes, checked
// against the clock where the event is received).
const externalId = z.string().min(1).max(255);
const dateTime = z.iso.datetime({ offset: true });

const customer = z.object({
  id: externalId,
  email: z.email().nullish(),
  phone: z.string().max(40).nullish(),
  firstName: z.string().max(200).nullish(),
  lastName: z.string().max(200).nullish(),
  birthday: z.iso
    .date()
    .refine((d) => d >= EARLIEST_BIRTHDAY, {
      message: `must be ${EARLIEST_BIRTHDAY} or later`,
      when: (payload) => payload.issues.length === 0, // only a well-formed date
    })
    .nullish(),
  acceptsMarketing: z
    .object({ email: z.boolean().optional(), sms: z.boolean().optional() })
    .optional(),
  tags: z.array(z.string().max(100)).max(100).optional(),
});

const line = z
  .object({
    productId: externalId,
    sku: z.string().max(255).optional(),
    categoryIds: z.array(externalId).max(50).optional(),
    quantity: quantitySchema,
    price: minor,
  })
  .refine(...lineValueWithinBounds);

const orderPaid = z.object({
  id: externalId,
  customer: customer.nullish(),
  currency,
  total: minor,
  subtotal: minor.optional(),
  shipping: minor.optional(),
  discount: minor.optional(),
  discountCodes: z.array(z.string().min(1).max(100)).max(50).optional(),
  lines: z.array(line).max(1000).optional(),
  createdAt: dateTime,
  shippingAddress: z
    .object({
      line1: z.string().trim().min(1).max(300),
      line2: z.string().trim().max(300).nullish(),
      city: z.string().trim().min(1).max(200),
      postalCode: z.string().trim().min(1).max(20),
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as PL'),
    })
    .nullish(),
});

const activity = { customerId: externalId };

const envelope = {
  id: externalId.optional(),
  occurredAt: dateTime.optional(),
};

export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customer.created'), ...envelope, data: customer }),
  z.object({ type: z.literal('customer.updated'), ...envelope, data: customer }),
  z.object({ type: z.literal('order.paid'), ...envelope, data: orderPaid }),
  z.object({
    type: z.literal('order.refunded'),
    ...envelope,
    data: z.object({ orderId: externalId, refundId: externalId, amount: minor, currency }),
  }),
  z.object({
    type: z.literal('order.cancelled'),
    ...envelope,
    data: z.object({ orderId: externalId }),
  }),
  z.object({
    type: z.literal('order.fulfilled'),
    ...envelope,
    data: z.object({ orderId: externalId, fulfilledAt: dateTime }),
  }),
  z.object({
    type: z.literal('review.created'),
    ...envelope,
    data: z.object({
      ...activity,
      reviewId: externalId,
      productId: externalId.optional(),
      rating: z.number().int().min(1).max(5).optional(),
      photo: z.boolean().default(false),
    }),
  }),
  z.object({ type: z.literal('newsletter.subscribed'), ...envelope, data: z.object(activity) }),
  z.object({
    // The shop's catalogue: names and pictures for reviews, e-mails, the widget and rewards.
    type: z.literal('product.updated'),
    ...envelope,
    data: z.object({
      id: externalId,
      name: z.string().trim().min(1).max(500),
      url: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .nullish(),
      imageUrl: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .nullish(),
      price: minor.nullish(),
      currency: currency.nullish(),
      categoryIds: z.array(externalId).max(100).default([]),
      active: z.boolean().default(true),
    }),
  }),
  z.object({
    // A customer's cart changed (the storefront sends it); flows use it for cart abandonment.
    type: z.literal('cart.updated'),
    ...envelope,
    data: z.object({
      ...activity,
      cartId: externalId,
      currency,
      total: minor,
      url: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .optional(),
      lines: z
        .array(
          z
            .object({
              productId: externalId,
              name: z.string().max(200).optional(),
              quantity: quantitySchema,
              price: minor,
            })
            .refine(...lineValueWithinBounds),
        )
        .max(100)
        .default([]),
    }),
  }),
  z.object({
    type: z.literal('social.followed'),
    ...envelope,
    data: z.object({ ...activity, network: z.string().trim().toLowerCase().min(1).max(40) }),
  }),
  z.object({
    type: z.literal('custom'),
    ...envelope,
    data: z.object({
      ...activity,
      event: z.string().regex(/^[a-z0-9_.-]{1,60}$/, 'lower-case letters, digits, _ . and -'),
      properties: z.record(z.string(), z.unknown()).default({}),
    }),
  }),
]);

export type ApiEvent = z.infer<typeof apiEventSchema>;

/** The times and dates an event says things happened at, by field, for the future check. */
export function apiEventTimes(event: ApiEvent): { times: ClientTime[]; dates: ClientTime[] } {
  const times: ClientTime[] = [{ path: 'occurredAt', at: event.occurredAt }];
  const dates: ClientTime[] = [];
  switch (event.type) {
    case 'customer.created':
    case 'customer.updated':
      dates.push({ path: 'data.birthday', at: event.data.birthday });
      break;
    case 'order.paid':
      times.push({ path: 'data.createdAt', at: event.data.createdAt });
      dates.push({ path: 'data.customer.birthday', at: event.data.customer?.birthday });
      break;
    case 'order.fulfilled':
      times.push({ path: 'data.fulfilledAt', at: event.data.fulfilledAt });
      break;
  }
  return { times, dates };
}

/** The phones an event carries, with their paths, to read in the shop's region before storing. */
export function apiEventPhones(event: ApiEvent): Array<{ path: string; phone: string }> {
  const phone =
    event.type === 'customer.created' || event.type === 'customer.updated'
      ? { path: 'data.phone', phone: event.data.phone }
      : event.type === 'order.paid'
        ? { path: 'data.customer.phone', phone: event.data.customer?.phone }
        : null;
  return phone && typeof phone.phone === 'string' && phone.phone.trim() !== ''
    ? [{ path: phone.path, phone: phone.phone }]
    : [];
}

/** Turns a validated API event into commands; `receivedAt` stands in for a missing occurredAt. */
export function commandsFromApiEvent(event: ApiEvent, receivedAt: Date): Command[] {
  const asOf = event.occurredAt ? new Date(event.occurredAt) : receivedAt;
  const customerFacts = (c: z.infer<typeof customer>, at: Date) => ({
    ...customerFactsOf(c, at),
    ...(!event.occurredAt && { asOfIsReceipt: true }),
  });
  switch (event.type) {
    case 'customer.created':
    case 'customer.updated':
      return [{ kind: 'customer', customer: customerFacts(event.data, asOf) }];
    case 'order.paid': {
      const d = event.data;
      const placedAt = new Date(d.createdAt);
      return [
        {
          kind: 'order',
          order: {
            externalId: d.id,
            customer: d.customer ? customerFacts(d.customer, asOf) : null,
            email: d.customer?.email ?? null,
            currency: d.currency,
            total: d.total,
            subtotal: d.subtotal ?? null,
            shipping: d.shipping ?? null,
            tax: null,
            discount: d.discount ?? null,
            discountCodes: d.discountCodes ?? [],
            ...(d.shippingAddress !== undefined && { shippingAddress: d.shippingAddress }),
            lines: (d.lines ?? []).map((l) => ({
              externalId: null,
              productId: l.productId,
              variantId: null,
              sku: l.sku ?? null,
              title: null,
              categoryIds: l.categoryIds ?? [],
              quantity: l.quantity,
              unitPrice: l.price,
            })),
            placedAt,
            paidAt: event.occurredAt ? asOf : placedAt,
            cancelledAt: null,
            fulfilledAt: null,
            asOf,
          },
        },
      ];
    }
    case 'order.refunded':
      return [
        {
          kind: 'refund',
          refund: {
            orderExternalId: event.data.orderId,
            externalId: event.data.refundId,
            amount: event.data.amount,
            currency: event.data.currency,
            reason: null,
            refundedAt: asOf,
          },
        },
      ];
    case 'order.cancelled':
      return [{ kind: 'cancel', orderExternalId: event.data.orderId, cancelledAt: asOf }];
    case 'order.fulfilled':
      return [
        {
          kind: 'fulfil',
          orderExternalId: event.data.orderId,
          fulfilledAt: new Date(event.data.fulfilledAt),
        },
      ];
    case 'product.updated': {
      const d = event.data;
      return [
        {
          kind: 'product',
          product: {
            externalId: d.id,
            name: d.name,
            url: d.url ?? null,
            imageUrl: d.imageUrl ?? null,
            price: d.price ?? null,
            currency: d.currency ?? null,
            categoryIds: d.categoryIds,
            active: d.active,
            asOf,
          },
        },
      ];
    }
    case 'review.created':
    case 'newsletter.subscribed':
    case 'cart.updated':
    case 'social.followed':
    case 'custom': {
      const { customerId, ...data } = event.data;
      const type = event.type === 'custom' ? `custom.${event.data.event}` : event.type;
      const payload =
        event.type === 'custom' ? (event.data.properties as Record<string, unknown>) : data;
      return [
        {
          kind: 'activity',
          activity: {
            customer: { externalId: customerId, asOf, asOfIsReceipt: !event.occurredAt },
            type,
            externalId: event.id ?? null,
            data: payload,
            occurredAt: asOf,
          },
        },
      ];
    }
  }
}

function customerFactsOf(c: z.infer<typeof customer>, asOf: Date): CustomerFacts {
  return {
    externalId: c.id,
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    birthday: c.birthday,
    acceptsEmailMarketing: c.acceptsMarketing?.email,
    acceptsSmsMarketing: c.acceptsMarketing?.sms,
    tags: c.tags,
    asOf,
  };
}

/**
 * An API event as a delivery for the raw log. `type:id` is its delivery id, so the same event
 * sent twice is one event; `raw` keeps the bytes the sender sent, when there were any.
 */
export function apiEventDelivery(
  shopId: string,
  event: ApiEvent,
  request: { raw?: string; idempotencyKey?: string | null; requestHash?: Buffer | null } = {},
): Delivery {
  return {
    shopId,
    source: 'api',
    topic: event.type,
    deliveryId: event.id ? `${event.type}:${event.id}` : null,
    idempotencyKey: request.idempotencyKey ?? null,
    requestHash: request.requestHash ?? null,
    verified: true,
    headers: {},
    body: Buffer.from(request.raw ?? JSON.stringify(event)),
    occurredAt: event.occurredAt ? new Date(event.occurredAt) : null,
  };
}

/**
 * A person's erasure request (POST /v1/customers/:customerId/erasure), stored in the event log
 * so it is ordered with the customer's other events. Not an event integrations may send: the
 * route asks for a reason and the audit log records who asked.
 */
export const ERASURE_TOPIC = 'customer.erased';
export const erasureEventSchema = z.object({
  customerId: externalId,
  by: z.string().max(200).optional(),
  basis: z.string().max(200).optional(),
  reason: z.string().max(500).optional(),
});

/** Who asked for an erasure, on which basis, and why (kept in customer_erasures). */
export interface ErasureAsk {
  by: string;
  basis: string;
  reason?: string;
}

export function erasureDelivery(
  shopId: string,
  customerId: string,
  at: Date,
  ask?: ErasureAsk,
): Delivery {
  return {
    shopId,
    source: 'api',
    topic: ERASURE_TOPIC,
    deliveryId: null,
    idempotencyKey: null,
    requestHash: null,
    verified: true,
    headers: {},
    body: Buffer.from(JSON.stringify({ customerId, ...ask })),
    occurredAt: at,
  };
}
