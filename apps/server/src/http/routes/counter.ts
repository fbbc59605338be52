import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { STAFF_ROLES } from '../../stamps/staff-roles.ts';
import { completePairing, createPairing } from '../../stamps/pair-staff-device.ts';
import { scanStampQr, stampFoundCustomer } from '../../stamps/scan-stamp-qr.ts';
import { qrSvg } from '../../storefront/stamp-qr-svg.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { redeemReward } from '../../rewards/redeem-reward.ts';
import { counterCustomerCard, findCounterCustomers } from '../../counter/counter-customers.ts';
import { counterSession } from '../../counter/counter-session.ts';
import { recordCounterPurchase } from '../../counter/record-purchase.ts';
import { signUpAtCounter } from '../../counter/sign-up-at-counter.ts';
import { useRewardAtCounter } from '../../counter/use-reward.ts';
import { authenticateStaffDevice, scanResultSchema } from './stamps.ts';
import { redemptionSchema } from './customers.ts';

const tags = ['staff counter app'];
const localized = z.object({ pl: z.string(), en: z.string() });
const refusal = problemSchema.extend({ messages: localized.optional() });
const refusals = {
  401: problemSchema,
  403: refusal,
  404: problemSchema,
  409: refusal,
  422: refusal,
};
const STAFF_AUTH =
  'Authorization: Bearer <staff token> (from pairing, POST /v1/counter/pair). Takes ' +
  '`Idempotency-Key`: the staff app makes one when the action is taken and resends it with ' +
  'the action, so a resend after a lost answer is harmless. Refusals carry `messages: {pl, en}` ' +
  'for the barista.';
const reference = z
  .string()
  .regex(/^[\w-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _')
  .describe('the device’s own id for this action, made when it was taken (a UUID)');
const customerParams = z.object({
  customerId: z.string().min(1).max(255).describe("the shop's own customer id"),
});

/** A counter order as recorded in the event log: a purchase, or a reward used. */
const counterOrderSchema = z.object({
  orderId: z.string(),
  eventId: z.string(),
  amount: z.object({ amount: z.number().int(), currency: z.string() }),
  staffMember: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(['accepted', 'duplicate']),
});

const pairingSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(STAFF_ROLES),
    code: z.string().describe('single use; shown once'),
    url: z.string().describe('the staff app with the code in its fragment: put this in the QR'),
    qrSvg: z.string().describe('the URL as a QR code (SVG) for the screen'),
    expiresAt: z.string(),
  })
  .meta({ id: 'StaffPairing' });

const counterCustomerSchema = z
  .object({
    id: z.string().describe("the shop's own customer id"),
    name: z.string().nullable().describe('first name and initial'),
    contact: z.string().nullable().describe('masked e-mail or phone'),
    points: z.object({ available: z.number().int(), pending: z.number().int() }),
    stampCards: z.array(
      z.object({
        programmeId: z.string(),
        name: localized,
        earnBy: z.string(),
        stamps: z.number().int(),
        stampsRequired: z.number().int(),
        completedCards: z.number().int(),
        stampsToday: z.number().int(),
        dailyLimit: z.number().int().nullable(),
        stampedToday: z.boolean(),
        limitReached: z.boolean(),
      }),
    ),
    readyRewards: z
      .array(
        z.object({
          couponId: z.string(),
          name: localized.describe('what to hand over, e.g. "Darmowa kawa"'),
          from: z.enum(['stamps', 'points']).describe('a full stamp card, or points spent'),
          fromName: localized.describe('the stamp card, or the catalogue reward'),
          minBasket: z
            .number()
            .int()
            .nullable()
            .describe('the purchase it needs, in minor units; null: none (usable on 0)'),
          expiresAt: z.string().nullable(),
        }),
      )
      .describe(
        'rewards the customer holds, unused and unexpired: POST …/reward-uses takes one; ' +
          'soonest expiry first',
      ),
    rewards: z.array(
      z.object({
        id: z.string(),
        name: localized,
        pointsCost: z.number().int(),
        affordable: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'CounterCustomer' });

/**
 * The staff counter app's API (docs/staff-app.md): pairing a phone, and what a staff device
 * does at the counter, each with the device's token, rate-limited per shop, recorded in the
 * audit log with the device as actor.
 */
export function counterRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const staffOnly = { onRequest: authenticateStaffDevice(ctx) };
  const staffOf = (request: {
    staff?: import('../../stamps/authenticate-staff.ts').StaffIdentity;
  }) => request.staff!;

  r.post(
    '/v1/staff/pairings',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Pair a phone as a staff device: a QR code valid 10 minutes, once',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          role: z.enum(STAFF_ROLES).default('staff'),
        }),
        response: { 201: pairingSchema },
      },
    },
    async (request, reply) => {
      const pairing = await createPairing(
        ctx.db,
        ctx.clock,
        shopOf(request),
        ctx.config.publicUrl,
        request.body,
      );
      return reply.status(201).send({ ...pairing, qrSvg: await qrSvg(pairing.url) });
    },
  );

  r.post(
    '/v1/counter/pair',
    {
      // Public: anyone holding the code; counted per client address.
      config: { idempotent: false },
      schema: {
        tags,
        summary: 'The phone exchanges a pairing code for its own staff token (once)',
        description:
          'The token is in this answer only; keep it on the device and send it as ' +
          '"Authorization: Bearer". 422 pairing-invalid, pairing-used or pairing-expired.',
        security: [],
        body: z.object({ code: z.string().min(1).max(200) }),
        response: {
          201: z.object({
            token: z.string(),
            staff: z.object({ id: z.string(), name: z.string(), role: z.enum(STAFF_ROLES) }),
            shop: z.object({ id: z.string(), name: z.string() }),
          }),
          422: refusal,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await completePairing(ctx.db, ctx.clock, request.body.code)),
  );

  r.get(
    '/v1/counter/me',
    {
      ...staffOnly,
      config: { rateClass: 'api' },
      schema: {
        tags,
        summary: 'The device, its shop, the visit cards and the sign-up consent texts',
        description: `${STAFF_AUTH} A 401 means the device was revoked.`,
        security: [],
        response: {
          200: z.object({
            staff: z.object({ id: z.string(), name: z.string(), role: z.enum(STAFF_ROLES) }),
            shop: z.object({
              id: z.string(),
              name: z.string(),
              currency: z.string(),
              timezone: z.string(),
            }),
            visitCards: z.array(
              z.object({
                id: z.string(),
                name: localized,
                stampsRequired: z.number().int(),
                dailyLimit: z.number().int().nullable(),
              }),
            ),
            consentTexts: z.array(
              z.object({ channel: z.string(), purpose: z.string(), text: localized }),
            ),
          }),
          401: problemSchema,
        },
      },
    },
    async (request) => counterSession(ctx.db, shopOf(request), staffOf(request)),
  );

  r.get(
    '/v1/counter/customers',
    {
      ...staffOnly,
      config: { rateClass: 'api' },
      schema: {
        tags,
        summary: 'Find a customer by exact phone, e-mail or printed card number',
        description: `${STAFF_AUTH} Names and prefixes find nobody; at most 5 matches.`,
        security: [],
        querystring: z.object({ q: z.string().trim().min(3).max(320) }),
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              name: z.string().nullable(),
              contact: z.string().nullable(),
            }),
          ),
          401: problemSchema,
        },
      },
    },
    async (request) => findCounterCustomers(ctx.db, shopOf(request), request.query.q),
  );

  r.get(
    '/v1/counter/customers/:customerId',
    {
      ...staffOnly,
      config: { rateClass: 'api' },
      schema: {
        tags,
        summary: "The customer's card at the counter: points, stamps today, rewards available",
        description: STAFF_AUTH,
        security: [],
        params: customerParams,
        response: { 200: counterCustomerSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) =>
      counterCustomerCard(ctx.db, ctx.clock, shopOf(request), request.params.customerId),
  );

  r.post(
    '/v1/counter/stamps',
    {
      ...staffOnly,
      config: { idempotent: true, rateClass: 'api' },
      schema: {
        tags,
        summary: 'Stamp a visit card: from a scanned QR payload, or a customer found by search',
        description:
          `${STAFF_AUTH} Exactly one of payload and customerId. A phone's QR stamps once ` +
          '(qr-used after); a printed card and a found customer stamp up to the daily limit ' +
          '(daily-limit-reached).',
        security: [],
        body: z
          .object({
            payload: z.string().min(1).max(1000).optional(),
            customerId: z.string().min(1).max(255).optional(),
            programmeId: z.string().min(1).max(100).optional(),
            pastDailyLimit: z.boolean().optional(),
          })
          .refine((b) => (b.payload === undefined) !== (b.customerId === undefined), {
            message: 'send exactly one of payload and customerId',
          }),
        response: { 201: scanResultSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const staff = staffOf(request);
      const { payload, customerId, ...rest } = request.body;
      const options = {
        ...(rest.programmeId !== undefined && { programmeId: rest.programmeId }),
        ...(rest.pastDailyLimit !== undefined && { pastDailyLimit: rest.pastDailyLimit }),
      };
      const result =
        payload !== undefined
          ? await scanStampQr(ctx.db, ctx.clock, ctx.box, shop, staff, { payload, ...options })
          : await stampFoundCustomer(ctx.db, ctx.clock, shop, staff, {
              customerId: await findCustomerId(ctx.db, shop.id, customerId!, {
                allowRedacted: false,
              }),
              ...options,
            });
      return reply.status(201).send(result);
    },
  );

  r.post(
    '/v1/counter/purchases',
    {
      ...staffOnly,
      config: { idempotent: true, rateClass: 'api' },
      schema: {
        tags,
        summary: 'Ring up a purchase for points: a paid counter order, earning by the programme',
        description:
          `${STAFF_AUTH} The order is counter-<reference>, so the same reference never earns ` +
          'twice; points follow when the order is processed (a moment later).',
        security: [],
        body: z.object({
          customerId: z.string().min(1).max(255),
          amount: z
            .number()
            .int()
            .min(1)
            .max(100_000_000)
            .describe("minor units of the shop's currency"),
          reference,
        }),
        response: {
          201: counterOrderSchema,
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      await findCustomerId(ctx.db, shop.id, request.body.customerId, { allowRedacted: false });
      return reply
        .status(201)
        .send(
          await recordCounterPurchase(ctx.inbox, ctx.clock, shop, staffOf(request), request.body),
        );
    },
  );

  r.post(
    '/v1/counter/customers/:customerId/redemptions',
    {
      ...staffOnly,
      config: { idempotent: true, rateClass: 'api' },
      schema: {
        tags,
        summary: "Spend the customer's points on a reward at the counter",
        description: STAFF_AUTH,
        security: [],
        params: customerParams,
        body: z.object({ rewardId: z.string().min(1).max(100) }),
        response: { 201: redemptionSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await redeemReward(ctx.db, ctx.clock, shopOf(request), {
          customerId: request.params.customerId,
          rewardId: request.body.rewardId,
          actor: `staff:${staffOf(request).id}`,
        }),
      ),
  );

  r.post(
    '/v1/counter/customers/:customerId/reward-uses',
    {
      ...staffOnly,
      config: { idempotent: true, rateClass: 'api' },
      schema: {
        tags,
        summary: 'Use a reward the customer holds (a full stamp card’s, or one bought with points)',
        description:
          `${STAFF_AUTH} Records a paid counter order counter-<reference> carrying the ` +
          "reward's coupon code, through the event log like a purchase; the use is counted " +
          'when the order is processed, exactly as for any order. `amount` is what the ' +
          'customer pays (0 when the reward is all they take); a reward with a minimum basket ' +
          'needs at least that much (422 reward-min-basket). 409 reward-used when it is used ' +
          '(or being used); 422 reward-other-customer, reward-expired, reward-not-usable; 404 ' +
          'when the shop has no such reward. The same reference again answers `duplicate`.',
        security: [],
        params: customerParams,
        body: z.object({
          couponId: z.string().min(1).max(100).describe('readyRewards[].couponId of the card'),
          amount: z
            .number()
            .int()
            .min(0)
            .max(100_000_000)
            .default(0)
            .describe("what the customer pays, minor units of the shop's currency"),
          reference,
        }),
        response: {
          201: counterOrderSchema.extend({ couponId: z.string() }),
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const customerId = await findCustomerId(ctx.db, shop.id, request.params.customerId, {
        allowRedacted: false,
      });
      return reply.status(201).send(
        await useRewardAtCounter(ctx.db, ctx.inbox, ctx.clock, shop, staffOf(request), {
          ...request.body,
          customerId,
          customerExternalId: request.params.customerId,
        }),
      );
    },
  );

  r.post(
    '/v1/counter/customers',
    {
      ...staffOnly,
      config: { idempotent: true, rateClass: 'api' },
      schema: {
        tags,
        summary: 'Sign a customer up at the counter, with the consents given on the screen',
        description:
          `${STAFF_AUTH} Each consent's text must be the shop's text (GET /v1/counter/me) in ` +
          'the language shown, word for word: it is kept as the proof. The customer is created ' +
          'through the event log (customer.created), so it appears a moment later; 409 ' +
          'customer-exists when the e-mail or phone is a customer already.',
        security: [],
        body: z
          .object({
            firstName: z.string().trim().min(1).max(200),
            lastName: z.string().trim().max(200).optional(),
            email: z.email().max(320).optional(),
            phone: z.string().max(40).optional(),
            locale: z.enum(['pl', 'en']),
            consents: z
              .array(
                z.object({
                  channel: z.enum(['email', 'sms']),
                  purpose: z.enum(['marketing', 'loyalty']),
                  granted: z.boolean(),
                  text: z.string().min(1).max(1000),
                }),
              )
              .max(10),
            reference,
          })
          .refine((b) => b.email !== undefined || (b.phone ?? '').trim() !== '', {
            message: 'give an e-mail or a phone number',
            path: ['email'],
          }),
        response: {
          201: z.object({ customerId: z.string(), status: z.enum(['joining']) }),
          ...refusals,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await signUpAtCounter(
            ctx.db,
            ctx.inbox,
            ctx.clock,
            shopOf(request),
            staffOf(request),
            request.body,
          ),
        ),
  );
}
