import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ShopRow } from '../../shops/shop.ts';
import { storefrontShopOf } from '../storefront-auth.ts';

/** The on-site chunks a page of a shop loads (app/onsite-chunks.ts composes them). */
export type OnsiteFor = (shop: ShopRow, page: { path: string }) => Promise<string[]>;

const widgetSchema = z
  .object({
    brand: z.object({
      logoUrl: z.string().nullable(),
      primaryColor: z.string().nullable(),
      accentColor: z.string().nullable(),
    }),
    onsite: z
      .array(z.string())
      .describe('the on-site chunks this page loads (pop-ups, social proof, …), by name'),
  })
  .meta({ id: 'StorefrontWidget' });

/**
 * What the widget's loader asks once the shop's page is idle: the brand kit for the launcher and
 * which on-site chunks the page loads. Public and the same for every shopper of a page, so it
 * may be cached for a minute.
 */
export function storefrontWidgetRoutes(app: FastifyInstance, onsiteFor: OnsiteFor): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/storefront/v1/shops/:shopId/widget',
    {
      config: { auth: 'storefront' },
      schema: {
        tags: ['storefront'],
        summary: "The widget's settings for a page: the brand and the on-site chunks to load",
        description:
          'Called by widget.js once the page is idle, with `path` = location.pathname. ' +
          '`onsite` names the chunks (pop-ups, social proof, …) whose features want this page.',
        security: [],
        params: z.object({ shopId: z.string().min(1).max(60).describe("the shop's id") }),
        querystring: z.object({
          path: z.string().max(2000).default('/').describe("the page's path (location.pathname)"),
        }),
        response: { 200: widgetSchema },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const onsite = await onsiteFor(shop, { path: request.query.path });
      reply.header('cache-control', 'public, max-age=60');
      return {
        brand: {
          logoUrl: shop.brand_logo_url,
          primaryColor: shop.brand_primary_color,
          accentColor: shop.brand_accent_color,
        },
        onsite,
      };
    },
  );
}
