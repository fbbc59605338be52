import { PlatformError, type PlatformConnector } from '../../connections/connector.ts';
import { obj, shopifyGraphql, shopifyThrottle } from './graphql.ts';
import { pullShopify } from './pull.ts';
import { disableShopifyCode, pushShopifyCodes } from './push-codes.ts';
import { SHOP_QUERY } from './queries.ts';
import {
  shopifyCredentialsSchema,
  shopifySettingsSchema,
  type ShopifyCredentials,
  type ShopifySettings,
} from './settings.ts';

const OVERLAP_MS = 5 * 60_000;

/**
 * Shopify through the GraphQL Admin API only (INTEGRATIONS.md: new public apps must not use
 * REST). Plain GraphQL over the runtime's PlatformHttp rather than @shopify/admin-api-client:
 * that client brings its own fetch, retries and error shapes, while the runtime must own the
 * spacing, the backoff and the errors by kind. Webhooks stay the fast path in; the pull is the
 * reconciliation (every 10 minutes, 5 minutes of overlap) and the history backfill.
 */
export const shopifyConnector: PlatformConnector<ShopifyCredentials, ShopifySettings> = {
  platform: 'shopify',
  name: 'Shopify',
  credentialsSchema: shopifyCredentialsSchema,
  settingsSchema: shopifySettingsSchema,
  // The real limit is the cost bucket (throttle reads it from every answer); this only keeps a
  // burst of cheap calls polite (the fake turns away more than 50 a second).
  rateLimit: { requests: 40, perMs: 1_000 },
  throttle: shopifyThrottle,
  pullEveryMs: 10 * 60_000,
  overlapMs: OVERLAP_MS,

  async test(ctx) {
    const data = await shopifyGraphql(ctx, SHOP_QUERY, {}, 'read the shop');
    const name = obj(data.shop)?.name;
    if (typeof name !== 'string') {
      throw new PlatformError('bad-response', 'read the shop: the answer has no shop name');
    }
    return { accountName: name };
  },

  pull: (ctx, input) => pullShopify(ctx, input, OVERLAP_MS),
  pushCodes: pushShopifyCodes,
  disableCode: disableShopifyCode,
};
