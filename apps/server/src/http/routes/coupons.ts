import { z } from 'zod';
import {
  amountSchema,
  currencySchema,
  lineValueWithinBounds,
  quantitySchema,
} from '../../shared/bounds.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { validateCoupon } from '../../coupons/validate-coupon.ts';

const discountSchema = z.object({
  kind: z.enum(['fixed', 'percentage', 'free_shipping', 'free_product']),
  amount: z.number().int().describe('minor units off this cart (0 for free shipping or a product)'),
  currency: z.string(),
  percent: z.number().optional(),
  productId: z.string().optional(),
  freeShipping: z.boolean().optional(),
});

export function couponRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/coupons/validate',
    {
      config: { auth: 'shop', rateClass: 'coupon' },
      schema: {
        tags: ['coupons'],
        summary:
          'Would this code apply to this cart? Says why not, with a machine reason and a message',
        description:
          'Nothing is reserved: the paid order that carries the code consumes it. Rate-limited per ' +
          'API key and per client address (429 with Retry-After) against guessing.',
        headers: z.object({ 'accept-language': z.string().optional() }),
        body: z.object({
          code: z.string().trim().min(1).max(100),
          customerId: z.string().min(1).max(255).optional().describe("the shop's own customer id"),
          cart: z.object({
            currency: currencySchema,
            total: amountSchema,
            lines: z
              .array(
                z
                  .object({
                    productId: z.string(),
                    categoryIds: z.array(z.string()).optional(),
                    quantity: quantitySchema,
                    price: amountSchema,
                  })
                  .refine(...lineValueWithinBounds),
              )
              .max(1000)
              .optional()
              .describe('needed when the code covers only some products'),
          }),
          appliedCodes: z
            .array(z.string().max(100))
            .max(20)
            .optional()
            .describe('codes already in the cart, checked for combining'),
        }),
        response: {
          200: z.union([
            z.object({ valid: z.literal(true), code: z.string(), discount: discountSchema }),
            z.object({
              valid: z.literal(false),
              reason: z.string(),
              message: z.string().describe('in Accept-Language (pl or en), else the shop language'),
              messages: z.object({ pl: z.string(), en: z.string() }),
              reasons: z
                .array(
                  z.object({
                    reason: z.string(),
                    message: z.string(),
                    messages: z.object({ pl: z.string(), en: z.string() }),
                  }),
                )
                .describe(
                  'every way the code fails this cart, most useful first (reason is the first)',
                ),
            }),
          ]),
        },
      },
    },
    async (request) => {
      const language = request.headers['accept-language']?.slice(0, 2).toLowerCase();
      return validateCoupon(ctx.db, ctx.clock, shopOf(request), {
        ...request.body,
        locale: language === 'pl' || language === 'en' ? language : undefined,
      });
    },
  );
}
