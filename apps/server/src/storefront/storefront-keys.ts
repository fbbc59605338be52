import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { portalKey } from './portal-token.ts';

const TTL_MS = 5_000;
const CACHE_LIMIT = 10_000;

/**
 * The keys that verify a shop's customer tokens: its live storefront secrets (the current one
 * and any in their overlap hour), read with a short cache because every widget request carries
 * a token, and the per-shop key of the portal's own tokens (derived, never stored).
 */
export class StorefrontKeys {
  private secrets = new BoundedCache<string, { secrets: Uint8Array[]; until: number }>(CACHE_LIMIT);

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly box: SecretBox,
  ) {}

  /** Newest first; empty when the shop never made a storefront secret. */
  async shopSecrets(shopId: string, { fresh = false } = {}): Promise<Uint8Array[]> {
    const now = this.clock.now();
    const hit = this.secrets.get(shopId);
    if (!fresh && hit && hit.until > now.getTime()) return hit.secrets;
    const rows = await this.db
      .selectFrom('storefront_secrets')
      .select(['secret_box', 'retires_at'])
      .where('shop_id', '=', shopId)
      .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    const secrets = rows.map((r) => new Uint8Array(this.box.open(r.secret_box)));
    // Never cache past the moment a secret retires.
    const firstRetirement = Math.min(...rows.map((r) => r.retires_at?.getTime() ?? Infinity));
    this.secrets.set(shopId, { secrets, until: Math.min(now.getTime() + TTL_MS, firstRetirement) });
    return secrets;
  }

  /** Verifies the portal's tokens for one shop; another shop's key is another key. */
  portalKey(shopId: string): Uint8Array {
    return portalKey(this.box, shopId);
  }

  forget(shopId: string): void {
    this.secrets.delete(shopId);
  }
}
