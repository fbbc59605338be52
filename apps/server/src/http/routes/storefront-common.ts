import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, type Locale } from '../../shared/i18n.ts';
import type { ShopRow } from '../../shops/shop.ts';
import { shopIdParam } from '../schemas.ts';

export const storefrontParams = z.object({ shopId: shopIdParam });

/**
 * An answer that is the same for every visitor of the shop (no customer's data in it): shared
 * caches may keep it the minute Lojal keeps its counts. It varies by language, beside the Origin
 * the storefront's CORS already names.
 */
export function publicAnswer(reply: FastifyReply): void {
  const vary = String(reply.getHeader('vary') ?? '');
  reply.header('cache-control', 'public, max-age=60');
  reply.header('vary', vary ? `${vary}, Accept-Language` : 'Accept-Language');
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
