import type { PlatformConnector, PlatformResponse } from '../../connections/connector.ts';
import {
  shoperCredentialsSchema,
  shoperSettingsSchema,
  ShoperSession,
  type ShoperCredentials,
  type ShoperSettings,
} from './webapi.ts';
import { pullOrders } from './pull.ts';
import { disablePromotionCode, pushPromotionCodes } from './promotion-codes.ts';

/**
 * Shoper (Polish SaaS shops): orders in by signed webhooks (http/routes/webhooks.ts) and by this
 * REST pull for reconciliation and history; Lojal's codes out as Shoper promotion codes.
 * Facts: ../shared/INTEGRATIONS.md, docs/integrations/shoper.md.
 */
export const shoperConnector: PlatformConnector<ShoperCredentials, ShoperSettings> = {
  platform: 'shoper',
  name: 'Shoper',
  credentialsSchema: shoperCredentialsSchema,
  settingsSchema: shoperSettingsSchema,
  // A leaky bucket of 10 calls draining at 2 a second: 10 at once at most; the steady pace
  // comes from throttle(), which reads how full the bucket is after every answer.
  rateLimit: { requests: 10, perMs: 1000 },
  throttle: shoperThrottle,
  pullEveryMs: 5 * 60_000,
  overlapMs: 5 * 60_000,

  async test(ctx) {
    const session = new ShoperSession(ctx);
    await session.authenticate();
    // Proves the user may read orders' statuses too (a WebAPI user can lack a permission).
    await session.list('statuses', { limit: 1, purpose: 'read order statuses' });
    return { accountName: new URL(ctx.settings.shopUrl).host };
  },

  pull: (ctx, input) => pullOrders(ctx, input),

  async pushCodes(ctx, codes) {
    return pushPromotionCodes(new ShoperSession(ctx), ctx, codes);
  },

  async disableCode(ctx, code, ref) {
    await disablePromotionCode(new ShoperSession(ctx), code, ref);
  },
};

/**
 * How long to wait before the next call: Shoper says after every answer how full its bucket is
 * (X-Shop-Api-Calls of X-Shop-Api-Limit) and how fast it drains (X-Shop-Api-Bandwidth, calls a
 * second). Two places are kept free, so a call from another job of the shop is not refused.
 */
export function shoperThrottle(response: PlatformResponse): number | null {
  const calls = Number(response.headers.get('x-shop-api-calls'));
  const limit = Number(response.headers.get('x-shop-api-limit'));
  const bandwidth = Number(response.headers.get('x-shop-api-bandwidth')) || 2;
  if (!Number.isFinite(calls) || !Number.isFinite(limit) || limit <= 0) return null;
  const over = calls - (limit - 2);
  return over >= 0 ? Math.ceil(((over + 1) * 1000) / bandwidth) : null;
}
