import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { problems } from '../../shared/errors.ts';
import { stampProgrammeInput, EARN_BY } from '../../stamps/stamp-programme-schema.ts';
import {
  createStampProgramme,
  listStampProgrammes,
  updateStampProgramme,
} from '../../stamps/manage-stamp-programmes.ts';
import {
  createStaffMember,
  listStaffMembers,
  revokeStaffMember,
} from '../../stamps/manage-staff.ts';
import { authenticateStaff, type StaffIdentity } from '../../stamps/authenticate-staff.ts';
import { issueStampQr } from '../../stamps/issue-stamp-qr.ts';
import { scanStampQr } from '../../stamps/scan-stamp-qr.ts';
import { STAFF_ROLES } from '../../stamps/staff-roles.ts';
import { listStampCards } from '../../stamps/list-stamp-cards.ts';

const localized = z.object({ pl: z.string(), en: z.string() });
const rewardSchema = z
  .record(z.string(), z.unknown())
  .describe('as given: {type: coupon|reward, …}');

const programmeSchema = z
  .object({
    id: z.string(),
    name: z.string().describe("in the shop's language"),
    names: localized,
    stampsRequired: z.number().int(),
    earnBy: z.enum(EARN_BY),
    productIds: z.array(z.string()),
    categoryIds: z.array(z.string()),
    minOrder: z.number().int().nullable(),
    dailyLimit: z.number().int().nullable(),
    reward: rewardSchema,
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StampCardProgramme' });

const staffSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  hint: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const couponSchema = z
  .object({
    code: z.string(),
    discount: z.record(z.string(), z.unknown()),
    minBasket: z.number().int().nullable(),
    expiresAt: z.string(),
  })
  .nullable()
  .describe('null: a perk staff hand over');

const cardSchema = z.object({
  id: z.string(),
  number: z.number().int().describe("the customer's 1st, 2nd… card of this programme"),
  stamps: z.number().int(),
  stampsRequired: z.number().int(),
});

export const scanResultSchema = z
  .object({
    stampId: z.string(),
    programmeId: z.string(),
    customerId: z.string().describe("the shop's own customer id"),
    staffMember: z.object({ id: z.string(), name: z.string() }),
    stampedAt: z.string(),
    stampsToday: z.number().int(),
    dailyLimit: z.number().int().nullable(),
    card: cardSchema.describe('the open card after this stamp'),
    completedCards: z.number().int(),
    rewards: z
      .array(
        z.object({
          cardId: z.string(),
          cardNumber: z.number().int(),
          name: localized,
          coupon: couponSchema,
        }),
      )
      .describe('what this stamp completed: hand the reward over'),
  })
  .meta({ id: 'StampScan' });

const customerCardSchema = z
  .object({
    programmeId: z.string(),
    name: localized,
    earnBy: z.enum(EARN_BY),
    active: z.boolean(),
    cardId: z.string().nullable().describe('null until the first stamp'),
    cardNumber: z.number().int(),
    stamps: z.number().int(),
    stampsRequired: z.number().int(),
    completedCards: z.number().int(),
    lastStampAt: z.string().nullable(),
    stampsToday: z.number().int(),
    dailyLimit: z.number().int().nullable(),
    reward: rewardSchema,
  })
  .meta({ id: 'CustomerStampCard' });

const customerParams = z.object({
  customerId: z.string().min(1).max(255).describe("the shop's own customer id"),
});

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffIdentity;
  }
}

/**
 * The staff device's token (not the shop's API key) authenticates a scan; it resolves to one
 * shop, which the idempotency hook then scopes saved answers by.
 */
export function authenticateStaffDevice(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match)
      throw problems.unauthorized('Send the staff token as "Authorization: Bearer <token>".');
    const found = await authenticateStaff(ctx.db, match[1]!);
    if (!found) throw problems.unauthorized('The staff token is not valid or was revoked.');
    const wait = ctx.rateLimiter.take(`${found.shop.id}:staff`, ctx.config.apiRateLimit);
    if (wait > 0) throw problems.rateLimited(wait);
    request.shop = found.shop;
    request.staff = found.staff;
  };
}

export function stampRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const programmeParams = z.object({ programmeId: z.string() });

  r.get(
    '/v1/stamp-cards',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['stamp cards'],
        summary: "The shop's stamp card programmes",
        response: { 200: z.array(programmeSchema) },
      },
    },
    async (request) => listStampProgrammes(ctx.db, shopOf(request)),
  );

  r.post(
    '/v1/stamp-cards',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['stamp cards'],
        summary: 'Add a stamp card: N stamps (per visit, order or product) give a reward',
        body: stampProgrammeInput,
        response: { 201: programmeSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createStampProgramme(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.put(
    '/v1/stamp-cards/:programmeId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['stamp cards'],
        summary: "Replace a stamp card's terms (open cards keep the stamp count they opened with)",
        params: programmeParams,
        body: stampProgrammeInput,
        response: { 200: programmeSchema },
      },
    },
    async (request) =>
      updateStampProgramme(
        ctx.db,
        ctx.clock,
        shopOf(request),
        request.params.programmeId,
        request.body,
      ),
  );

  r.post(
    '/v1/staff',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['stamp cards'],
        summary: 'Add a staff device; its token is shown once and can only stamp cards',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          role: z
            .enum(STAFF_ROLES)
            .default('staff')
            .describe('manager: may also stamp past the daily limit (pastDailyLimit on a scan)'),
        }),
        response: { 201: staffSchema.extend({ token: z.string() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createStaffMember(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.get(
    '/v1/staff',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['stamp cards'],
        summary: "The shop's staff devices",
        response: { 200: z.array(staffSchema) },
      },
    },
    async (request) => listStaffMembers(ctx.db, shopOf(request)),
  );

  r.delete(
    '/v1/staff/:staffId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['stamp cards'],
        summary: 'Revoke a staff device at once (its stamps keep its name)',
        params: z.object({ staffId: z.string() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeStaffMember(ctx.db, ctx.clock, shopOf(request), request.params.staffId);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/v1/customers/:customerId/stamp-qr',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['stamp cards'],
        summary: 'A signed QR payload the customer shows at the till (valid 3 minutes, once)',
        params: customerParams,
        response: {
          200: z.object({
            payload: z.string().describe('put this text in the QR code'),
            expiresAt: z.string(),
            ttlSeconds: z.number().int(),
          }),
        },
      },
    },
    async (request) =>
      issueStampQr(ctx.db, ctx.clock, ctx.box, shopOf(request), request.params.customerId),
  );

  r.get(
    '/v1/customers/:customerId/stamp-cards',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['stamp cards'],
        summary: "The customer's stamp cards: stamps, stamps needed, cards completed",
        params: customerParams,
        response: { 200: z.array(customerCardSchema) },
      },
    },
    async (request) =>
      listStampCards(ctx.db, ctx.clock, shopOf(request), request.params.customerId),
  );

  r.post(
    '/v1/stamps/scan',
    {
      // Counted per shop once the staff token is checked (below), like the API.
      config: { idempotent: true, rateClass: 'api' },
      onRequest: authenticateStaffDevice(ctx),
      schema: {
        tags: ['stamp cards'],
        summary: "Stamp a customer's card from the QR payload a staff device scanned",
        description:
          'Authorization: Bearer <staff token> (POST /v1/staff). Refusals are 422 problems with ' +
          '`messages: {pl, en}` for the barista: qr-invalid, qr-expired, qr-used, ' +
          'daily-limit-reached, programme-required, programme-inactive; a 403 manager-only when ' +
          'a plain staff device asks for pastDailyLimit.',
        security: [],
        body: z.object({
          payload: z.string().min(1).max(1000),
          programmeId: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe('which visit card, when the shop has more than one'),
          pastDailyLimit: z
            .boolean()
            .optional()
            .describe("stamp even past the card's daily limit: a manager's device only (else 403)"),
        }),
        response: {
          401: problemSchema,
          201: scanResultSchema,
          403: problemSchema.extend({ messages: localized.optional() }),
          422: problemSchema.extend({ messages: localized.optional() }),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await scanStampQr(
            ctx.db,
            ctx.clock,
            ctx.box,
            shopOf(request),
            request.staff!,
            request.body,
          ),
        ),
  );
}
