import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { problems } from '../../shared/errors.ts';
import { isLocale, type Locale } from '../../shared/i18n.ts';
import type { ShopRow } from '../../shops/shop.ts';
import { shopIdParam } from '../schemas.ts';

export const storefrontParams = z.object({ shopId: shopIdParam });

/** The shop of a storefront route: the one the storefront auth found, or by its id. */
export async function storefrontShop(ctx: AppContext, request: FastifyRequest): Promise<ShopRow> {
  if (request.shop) return request.shop;
  const { shopId } = request.params as { shopId: string };
  const shop = await ctx.db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', shopId)
    .executeTakeFirst();
  if (!shop) throw problems.notFound(`Shop ${shopId}`);
  return shop;
}

/** `?locale=`, else the first language of Accept-Language Lojal speaks, else the shop's. */
export function storefrontLocale(request: FastifyRequest, shop: Pick<ShopRow, 'locale'>): Locale {
  const asked = (request.query as { locale?: string } | undefined)?.locale;
  if (isLocale(asked)) return asked;
  for (const part of (request.headers['accept-language'] ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return isLocale(shop.locale) ? shop.locale : 'pl';
}
