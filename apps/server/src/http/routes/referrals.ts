import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { moneySchema as money, problemSchema } from '../schemas.ts';
import {
  referralCampaignInput,
  referralLanding,
  referralSettings,
} from '../../referrals/referral-settings.ts';
import {
  createReferralCampaign,
  listReferralCampaigns,
  setStorefrontUrl,
  updateReferralCampaign,
} from '../../referrals/manage-referral-campaigns.ts';
import { followReferralLink } from '../../referrals/follow-referral-link.ts';
import { referralLandingPage } from '../../referrals/referral-landing-page.ts';
import { localeFromAcceptLanguage } from '../../shared/accept-language.ts';
import { BRANDED_PAGE_HEADERS } from '../security-headers.ts';
import { attributeSignup } from '../../referrals/attribute-signup.ts';
import { reportClientSighting } from '../../referrals/report-client-sighting.ts';
import { listCustomerReferrals, listReferrals } from '../../referrals/list-referrals.ts';
import { reviewReferral } from '../../referrals/review-referral.ts';
import { referralResults } from '../../referrals/referral-results.ts';
import { listReviewQueue } from '../../referrals/list-review-queue.ts';
import { decideReferrals } from '../../referrals/decide-referrals.ts';

const statuses = [
  'clicked',
  'signed_up',
  'purchased',
  'qualified',
  'rewarded',
  'rejected',
  'flagged',
] as const;

const reasonSchema = z.object({ reason: z.string(), weight: z.number() });
const at = z.string().nullable();

const referralSchema = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    referrerId: z.string().describe("the referrer, the shop's own customer id"),
    friendCustomerId: z.string().describe("the friend, the shop's own customer id"),
    code: z.string(),
    source: z.string().describe('code (on an order), link (a visit) or signup (a code at signup)'),
    status: z.enum(statuses),
    waitingAt: z.enum(statuses).nullable().describe('of a flagged referral: the stage it waits at'),
    reasons: z.array(reasonSchema).describe('why it was flagged or rejected'),
    riskScore: z.number().int(),
    reviewNote: z.string().nullable(),
    orderId: z.string().nullable().describe("the friend's first qualifying order"),
    rewardDueAt: at,
    steps: z.object({
      clickedAt: at,
      signedUpAt: at,
      purchasedAt: at,
      qualifiedAt: at,
      rewardedAt: at,
      flaggedAt: at,
      approvedAt: at,
      rejectedAt: at,
      clawedBackAt: at,
    }),
    rewards: z.array(
      z.object({
        stage: z.string(),
        party: z.string(),
        kind: z.string(),
        points: z.number().int().nullable(),
        couponCode: z.string().nullable(),
        givenAt: z.string(),
        revokedAt: at,
        purchase: z
          .number()
          .int()
          .describe('which purchase of the friend a main reward is for (1 = the first)'),
      }),
    ),
    purchases: z
      .array(
        z.object({
          purchase: z.number().int().describe('2, 3 …: the first is the referral’s own order'),
          orderId: z.string(),
          orderTotal: z.number().int(),
          status: z.enum(['held', 'rewarded', 'cancelled', 'clawed_back']),
          reason: z.string().nullable(),
          rewardDueAt: z.string(),
          rewardedAt: at,
          endedAt: at,
        }),
      )
      .describe('further purchases rewarded under main.everyPurchaseUpTo'),
    thankYou: z
      .object({ note: z.string(), at: z.string() })
      .nullable()
      .describe('the friend’s one-line thank-you to the referrer'),
  })
  .meta({ id: 'Referral' });

const page = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(500),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
const nextCursor = z.string().nullable().describe('the next page’s cursor; null on the last page');

const customerValue = z.object({
  customers: z.number().int().describe('customers with a paid, not cancelled order'),
  orders: z.number().int(),
  averageOrderValue: money.nullable().describe('revenue (refunds deducted) per order'),
  repeatRate: z.number().nullable().describe('the share of the customers with two or more orders'),
});

const linkResponses = {
  200: {
    description: 'the landing page',
    content: { 'text/html': { schema: z.string().describe('the landing page, HTML') } },
  },
  302: z.null().describe('to the storefront, with lojal_ref and lojal_visit'),
  404: problemSchema,
  409: problemSchema,
};

const campaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    startsAt: at,
    endsAt: at,
    archived: z.boolean(),
    landing: referralLanding,
    settings: referralSettings,
  })
  .meta({ id: 'ReferralCampaign' });

export function referralRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const followLink = async (
    request: FastifyRequest,
    reply: FastifyReply,
    link: { shop?: string | undefined; code: string },
  ) => {
    const followed = await followReferralLink(
      ctx.db,
      {
        ...(link.shop !== undefined && { shop: link.shop }),
        code: link.code,
        address: request.ip ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        head: request.method === 'HEAD',
        wanted: localeFromAcceptLanguage(request.headers['accept-language']),
      },
      ctx.clock.now(),
    );
    if (followed.kind === 'redirect') return reply.redirect(followed.location, 302);
    const { landing } = followed;
    const pageUrl = `${ctx.config.publicUrl}/r/${encodeURIComponent(landing.shop.slug)}/${encodeURIComponent(landing.code)}`;
    return reply
      .status(200)
      .headers(BRANDED_PAGE_HEADERS)
      .send(referralLandingPage(landing, pageUrl));
  };
  const linkDescription =
    "Shows the referral landing page (200 HTML: the referrer's first name, the friend's offer, " +
    "the code to copy and a link on to the shop), or, for a campaign whose `landing` is `redirect`, an affiliate's " +
    "link or when no campaign is live, redirects (302) to the shop's storefront URL. Either way the storefront address " +
    'carries `lojal_ref` (the code) and `lojal_visit` (the visit id the storefront passes to ' +
    'POST /v1/referrals/attributions). One visit per link and client address is counted a day; ' +
    'a repeat gets the same visit id. HEAD and link-preview crawlers (facebookexternalhit, ' +
    'WhatsApp, Twitterbot, Slackbot …) count nothing. The page is in the language of ' +
    "Accept-Language (pl or en), else the shop's. A code of an erased customer answers 404.";
  const code = z.string().min(1).max(60);

  r.get(
    '/r/:shop/:referralCode',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['referrals'],
        summary: 'A referral or affiliate link of one shop: records the visit and redirects',
        description: linkDescription,
        security: [],
        params: z.object({
          shop: z.string().min(1).max(60).describe("the shop's slug (or id)"),
          referralCode: code,
        }),
        response: linkResponses,
      },
    },
    async (request, reply) =>
      followLink(request, reply, {
        shop: request.params.shop,
        code: request.params.referralCode,
      }),
  );

  r.get(
    '/r/:referralCode',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['referrals'],
        summary: 'A referral link without its shop (links made before /r/{shop}/{code})',
        description:
          `${linkDescription} The code belongs to the shop that claimed it first; ` +
          "another shop's later code with the same letters never takes the link over.",
        security: [],
        params: z.object({ referralCode: code }),
        querystring: z.object({
          shop: z.string().max(60).optional().describe("the shop's slug or id"),
        }),
        response: linkResponses,
      },
    },
    async (request, reply) =>
      followLink(request, reply, { shop: request.query.shop, code: request.params.referralCode }),
  );

  r.put(
    '/v1/referrals/storefront',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: "Where referral links send visitors (the shop's storefront URL)",
        body: z.object({
          storefrontUrl: z
            .url({ protocol: /^https?$/, hostname: z.regexes.domain })
            .nullable()
            .describe('an http(s) address on a public domain'),
        }),
        response: { 200: z.object({ storefrontUrl: z.string().nullable() }) },
      },
    },
    async (request) => setStorefrontUrl(ctx.db, shopOf(request), request.body.storefrontUrl),
  );

  r.get(
    '/v1/referral-campaigns',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: 'Referral campaigns, newest first',
        response: { 200: z.array(campaignSchema) },
      },
    },
    async (request) => listReferralCampaigns(ctx.db, shopOf(request)),
  );

  r.post(
    '/v1/referral-campaigns',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['referrals'],
        summary: 'Create a referral campaign (the newest live one takes new referrals)',
        body: referralCampaignInput,
        // 422: the terms name a reward the shop does not have.
        response: { 201: campaignSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const campaign = await createReferralCampaign(
        ctx.db,
        shopOf(request),
        request.body,
        ctx.clock.now(),
      );
      return reply.code(201).send(campaign);
    },
  );

  r.put(
    '/v1/referral-campaigns/:campaignId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: "Replace a referral campaign's terms, or archive it",
        params: z.object({ campaignId: z.string() }),
        body: referralCampaignInput.extend({ archived: z.boolean().optional() }),
        response: { 200: campaignSchema, 422: problemSchema },
      },
    },
    async (request) =>
      updateReferralCampaign(
        ctx.db,
        shopOf(request),
        request.params.campaignId,
        request.body,
        ctx.clock.now(),
      ),
  );

  r.get(
    '/v1/referral-campaigns/results',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: 'Per campaign: the funnel, referred revenue, reward cost, cost per customer',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                campaignId: z.string(),
                name: z.string(),
                funnel: z.object({
                  clicks: z.number().int(),
                  signups: z.number().int(),
                  firstPurchases: z.number().int(),
                  qualified: z.number().int(),
                  rewarded: z.number().int(),
                  rejected: z.number().int(),
                  flagged: z.number().int(),
                }),
                acquiredCustomers: z.number().int(),
                revenue: money,
                rewardCost: money,
                costPerAcquiredCustomer: money.nullable(),
                customerValue: z
                  .object({ referred: customerValue, others: customerValue })
                  .describe(
                    "referred: the campaign's friends (referrals not rejected), their orders " +
                      'since the referral; others: customers never referred, all their orders',
                  ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => referralResults(ctx.db, shopOf(request)),
  );

  r.post(
    '/v1/referrals/attributions',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['referrals'],
        summary: 'Tie a new customer to a referrer: by the link visit or a code given at signup',
        body: z.object({
          customerId: z.string().min(1).max(255).describe("the friend, the shop's own id"),
          code: z
            .string()
            .min(1)
            .max(60)
            .optional()
            .describe('lojal_ref, or a code typed at signup'),
          visitId: z.string().min(1).max(60).optional().describe('lojal_visit from the link'),
          client: z
            .object({ address: z.string().max(100), userAgent: z.string().max(500) })
            .optional()
            .describe("the friend's client at signup"),
        }),
        response: {
          404: problemSchema,
          200: z.union([
            z.object({
              attributed: z.literal(true),
              referralId: z.string(),
              status: z.string(),
              reasons: z.array(reasonSchema),
            }),
            z.object({ attributed: z.literal(false), reason: z.string() }),
          ]),
        },
      },
    },
    async (request) => attributeSignup(ctx.db, shopOf(request), request.body, ctx.clock.now()),
  );

  r.post(
    '/v1/referrals/sightings',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: 'Where a signed-in customer is (for the self-referral check by client)',
        body: z.object({
          customerId: z.string().min(1).max(255),
          clientAddress: z.string().min(1).max(100),
          userAgent: z.string().min(1).max(500),
        }),
        response: { 200: z.object({ recorded: z.boolean() }), 404: problemSchema },
      },
    },
    async (request) => reportClientSighting(ctx.db, shopOf(request), request.body, ctx.clock.now()),
  );

  r.get(
    '/v1/referrals',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: 'Referrals, newest first; `status=flagged` is the review queue',
        querystring: page.extend({ status: z.enum(statuses).optional() }),
        response: {
          200: z.object({ data: z.array(referralSchema), nextCursor }),
        },
      },
    },
    async (request) => listReferrals(ctx.db, shopOf(request), request.query),
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/v1/referrals/:referralId/${decision}`,
      {
        config: { auth: 'shop', idempotent: true },
        schema: {
          tags: ['referrals'],
          summary:
            decision === 'approve'
              ? 'Approve a flagged referral: it continues and can be rewarded'
              : 'Reject a flagged referral',
          params: z.object({ referralId: z.string() }),
          body: z.object({ note: z.string().max(2000).nullish() }).default({}),
          response: { 200: referralSchema },
        },
      },
      async (request) =>
        reviewReferral(
          ctx.db,
          shopOf(request),
          {
            referralId: request.params.referralId,
            decision,
            note: request.body.note,
            actor: actorOf(request),
          },
          ctx.clock.now(),
        ),
    );
  }

  const party = z
    .object({
      customerId: z.string().describe("the shop's own customer id"),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      erased: z.boolean(),
      createdAt: z.string(),
      orders: z.number().int().describe('paid orders, not cancelled'),
      revenue: money.describe('of those orders, refunds deducted'),
      firstOrderAt: at,
      referralsMade: z.number().int().describe('referrals with this customer as the referrer'),
      referralsFlaggedOrRejected: z.number().int().describe('of those, flagged or rejected'),
    })
    .meta({ id: 'ReferralParty' });

  r.get(
    '/v1/referrals/review-queue',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: 'Flagged referrals, newest first, each with the referrer and the friend',
        querystring: page,
        response: {
          200: z.object({
            data: z.array(z.object({ referral: referralSchema, referrer: party, friend: party })),
            nextCursor,
          }),
        },
      },
    },
    async (request) => listReviewQueue(ctx.db, shopOf(request), request.query),
  );

  r.post(
    '/v1/referrals/decisions',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['referrals'],
        summary: 'Approve or reject several flagged referrals, each on its own',
        description:
          'Each referral is decided in its own transaction and gets its own outcome: ' +
          '`approved`/`rejected`, `already_approved`/`already_rejected` (decided so before: a ' +
          'retry changes nothing), `not_flagged` (decided otherwise, or never flagged) or ' +
          '`not_found`. The answer is 200 whatever the outcomes.',
        body: z.object({
          decision: z.enum(['approve', 'reject']),
          referralIds: z.array(z.string().min(1).max(100)).min(1).max(100),
          note: z.string().trim().max(2000).nullish(),
        }),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                referralId: z.string(),
                outcome: z.enum([
                  'approved',
                  'rejected',
                  'already_approved',
                  'already_rejected',
                  'not_flagged',
                  'not_found',
                ]),
                status: z.enum(statuses).nullable().describe('the referral’s status now'),
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      decideReferrals(
        ctx.db,
        shopOf(request),
        { ...request.body, actor: actorOf(request) },
        ctx.clock.now(),
      ),
  );

  r.get(
    '/v1/customers/:customerId/referrals',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: 'The referrals this customer made, with their code',
        params: z.object({ customerId: z.string() }),
        querystring: page,
        response: {
          200: z.object({
            customerId: z.string(),
            referralCode: z.string(),
            data: z.array(referralSchema),
            nextCursor,
          }),
        },
      },
    },
    async (request) =>
      listCustomerReferrals(
        ctx.db,
        shopOf(request),
        request.params.customerId,
        request.query,
        ctx.clock.now(),
      ),
  );
}
