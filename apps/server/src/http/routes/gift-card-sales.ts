import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { moneySchema as money, problemSchema } from '../schemas.ts';
import { clientKey } from '../rate-limiter.ts';
import { formFields, sendNotFound, sendPage } from '../public-page-reply.ts';
import { storefrontShopOf } from '../storefront-auth.ts';
import { authenticateStaffDevice } from './stamps.ts';
import { problems } from '../../shared/errors.ts';
import { isLocale, type Locale } from '../../shared/i18n.ts';
import { localeFromAcceptLanguage } from '../../shared/accept-language.ts';
import {
  deleteGiftCardProduct,
  listGiftCardProducts,
  putGiftCardProduct,
} from '../../gift-cards/gift-card-products.ts';
import { giftCardReport } from '../../gift-cards/gift-card-report.ts';
import { checkGiftCardBalance } from '../../gift-cards/check-balance.ts';
import { balancePage } from '../../gift-cards/balance-page.ts';
import { sellGiftCardAtCounter } from '../../gift-cards/sell-at-counter.ts';

/** Wrong code-or-PIN answers one client address may get in 15 minutes, over every code. */
export const BALANCE_WRONG_LIMIT = 10;

const productSchema = z
  .object({
    productId: z.string(),
    name: z.string().nullable().describe("the product's name in the catalogue, when known"),
    amounts: z.enum(['any', 'fixed']),
    variantAmounts: z.record(z.string(), z.number().int()),
    validMonths: z.number().int().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'GiftCardProduct' });

const localized = z.object({ pl: z.string(), en: z.string() });
const balanceSchema = z.object({
  maskedCode: z.string(),
  balance: money,
  expiresAt: z.string().nullable(),
  status: z.enum(['active', 'expired', 'disabled']),
});

export function giftCardSaleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const productParams = z.object({ productId: z.string().min(1).max(255) });

  r.get(
    '/v1/gift-card-products',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'The platform products the shop sells as gift cards',
        response: { 200: z.object({ data: z.array(productSchema) }) },
      },
    },
    async (request) => ({ data: await listGiftCardProducts(ctx.db, shopOf(request).id) }),
  );

  r.put(
    '/v1/gift-card-products/:productId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'Sell a platform product as a gift card: any amount, or fixed values per variant',
        description:
          'A paid order line of the product issues one card: with `any`, worth the unit price ' +
          'the line was sold for; with `fixed`, the value of the line’s variant in ' +
          '`variantAmounts` (a variant not listed issues nothing), times the quantity. A refund ' +
          'of the line or the cancellation of the order voids what is left on the card. The ' +
          'buyer names the recipient in line item properties (docs/gift-cards.md).',
        params: productParams,
        body: z.object({
          amounts: z.enum(['any', 'fixed']),
          variantAmounts: z
            .record(z.string().min(1).max(255), z.number().int().min(1).max(100_000_000))
            .optional()
            .describe('variant id → value in minor units (for `fixed`)'),
          validMonths: z.number().int().min(1).max(120).nullable().optional(),
        }),
        response: { 200: productSchema },
      },
    },
    async (request) =>
      putGiftCardProduct(
        ctx.db,
        shopOf(request).id,
        request.params.productId,
        request.body,
        ctx.clock.now(),
      ),
  );

  r.delete(
    '/v1/gift-card-products/:productId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'Stop selling a product as a gift card (cards already issued stay)',
        params: productParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteGiftCardProduct(ctx.db, shopOf(request).id, request.params.productId);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/v1/gift-card-report',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'Gift card liability and breakage by month (the shop’s calendar), from the ledger',
        description:
          'Per currency and month: issued, spent (less refunds to cards), voided (refunded or ' +
          'cancelled sales), breakage (value that expired unused), other adjustments, and the ' +
          'liability at the month’s end (every entry so far). `outstanding` is the balance of ' +
          'the active cards now.',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                currency: z.string(),
                outstanding: z.number().int(),
                activeCards: z.number().int(),
                months: z.array(
                  z.object({
                    month: z.string(),
                    issued: z.number().int(),
                    spent: z.number().int(),
                    voided: z.number().int(),
                    breakage: z.number().int(),
                    adjusted: z.number().int(),
                    liability: z.number().int(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      return giftCardReport(ctx.db, shop.id, shop.timezone);
    },
  );

  r.post(
    '/v1/counter/gift-cards',
    {
      // Counted per shop once the staff token is checked, like a stamp scan.
      config: { idempotent: true, rateClass: 'api' },
      onRequest: authenticateStaffDevice(ctx),
      schema: {
        tags: ['gift cards'],
        summary: 'Sell a gift card at the counter from a staff device',
        description:
          'Authorization: Bearer <staff token>. The amount is in minor units of the shop’s ' +
          'currency, 100 to 1 000 000. The answer is the only one with the full code and PIN. ' +
          'With `recipientEmail` the voucher e-mail (with the printable PDF) goes out at once. ' +
          'Refusals are 422 problems with `errors[]` and `messages: {pl, en}` for the barista.',
        security: [],
        body: z.object({
          // Checked by the sale itself, so every refusal is the barista's 422.
          amount: z
            .unknown()
            .optional()
            .describe('required: minor units of the shop’s currency, 100–1 000 000'),
          recipientEmail: z.unknown().optional().describe('an e-mail address'),
          recipientName: z.unknown().optional().describe('at most 100 characters'),
          message: z.unknown().optional().describe('at most 500 characters'),
        }),
        response: {
          201: z.object({
            id: z.string(),
            code: z.string(),
            pin: z.string(),
            maskedCode: z.string(),
            currency: z.string(),
            balance: money,
            delivery: z.object({ email: z.string(), sendAt: z.string() }).nullable(),
          }),
          401: problemSchema,
          422: problemSchema.extend({ messages: localized.optional() }),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await sellGiftCardAtCounter(
            ctx.db,
            ctx.clock,
            ctx.box,
            request.shop!,
            request.staff!,
            request.body,
          ),
        ),
  );

  // The public balance check: the same per-address limit of wrong answers for the page and
  // the JSON route, over every code, so guessing codes or PINs stops after a few tries.
  const wrongKey = (request: FastifyRequest) => `gift-balance:${clientKey(request.ip)}`;
  const refuseWhenGuessing = (request: FastifyRequest) =>
    ctx.accountLimiter.take(wrongKey(request), BALANCE_WRONG_LIMIT - 1, 0);
  const countWrong = (request: FastifyRequest) =>
    ctx.accountLimiter.take(wrongKey(request), Infinity, 1);
  const check = async (request: FastifyRequest, shopId: string, code: string, pin: string) => {
    const found =
      code.trim() && pin.trim()
        ? await checkGiftCardBalance(ctx.db, shopId, { code, pin }, ctx.clock.now())
        : null;
    if (!found) countWrong(request);
    return found;
  };

  const findShop = (slug: string) =>
    ctx.db
      .selectFrom('shops')
      .select(['id', 'name', 'slug', 'locale', 'timezone'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  const localeOf = (request: FastifyRequest, shopLocale: string): Locale => {
    const asked = (request.query as { lang?: unknown } | undefined)?.lang;
    if (isLocale(asked)) return asked;
    const own = shopLocale.slice(0, 2);
    return (
      localeFromAcceptLanguage(request.headers['accept-language']) ?? (isLocale(own) ? own : 'pl')
    );
  };
  const pageParams = z.object({ shop: z.string().min(1).max(100) });
  const pageQuery = z.object({ lang: z.string().max(5).optional() });

  r.get(
    '/g/:shop',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: "The shop's gift card balance page: a form for the card's code and PIN",
        description:
          'Polish or English (?lang=, else Accept-Language, else the shop’s language). The form ' +
          'posts to the same address, so the code and PIN never travel in a URL.',
        security: [],
        params: pageParams,
        querystring: pageQuery,
      },
    },
    async (request, reply) => {
      const shop = await findShop(request.params.shop);
      if (!shop) return sendNotFound(reply);
      const locale = localeOf(request, shop.locale);
      return sendPage(
        reply,
        200,
        balancePage({
          locale,
          shopName: shop.name,
          action: `/g/${shop.slug}`,
          timezone: shop.timezone,
        }),
      );
    },
  );

  r.post(
    '/g/:shop',
    {
      config: { auth: 'none', rateClass: 'public' },
      bodyLimit: 4096,
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: 'Check a gift card: the balance and end date for the right code and PIN',
        description:
          'A form post (code, pin). A wrong code and a wrong PIN get the same answer. After ' +
          `${BALANCE_WRONG_LIMIT} wrong answers in 15 minutes one client address gets 429 with ` +
          'Retry-After, whatever codes it tries.',
        security: [],
        params: pageParams,
        querystring: pageQuery,
      },
    },
    async (request, reply) => {
      const shop = await findShop(request.params.shop);
      if (!shop) return sendNotFound(reply);
      const locale = localeOf(request, shop.locale);
      const wait = refuseWhenGuessing(request);
      const page = (status: number, result?: Parameters<typeof balancePage>[0]['result']) =>
        sendPage(
          reply,
          status,
          balancePage({
            locale,
            shopName: shop.name,
            action: `/g/${shop.slug}`,
            timezone: shop.timezone,
            result,
          }),
        );
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return page(429, 'wrong');
      }
      const fields = formFields(request.body);
      const found = await check(request, shop.id, fields.code ?? '', fields.pin ?? '');
      return page(200, found ?? 'wrong');
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/gift-cards/balance',
    {
      config: { auth: 'storefront' },
      schema: {
        tags: ['storefront'],
        summary: 'A gift card’s balance for its code and PIN (the widget and the portal)',
        description:
          'Answers 404 for a wrong code and a wrong PIN alike. Shares the balance page’s limit: ' +
          `after ${BALANCE_WRONG_LIMIT} wrong answers in 15 minutes, 429 with Retry-After for ` +
          'that client address.',
        security: [],
        params: z.object({ shopId: z.string() }),
        body: z.object({ code: z.string().min(1).max(60), pin: z.string().min(1).max(12) }),
        response: { 200: balanceSchema, 404: problemSchema, 429: problemSchema },
      },
    },
    async (request) => {
      const shop = storefrontShopOf(request);
      const wait = refuseWhenGuessing(request);
      if (wait > 0) throw problems.rateLimited(wait);
      const found = await check(request, shop.id, request.body.code, request.body.pin);
      if (!found) throw problems.notFound('A gift card with this code and PIN');
      return found;
    },
  );
}
