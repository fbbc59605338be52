import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { hashToken, type SecretBox } from '../shared/secrets.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import type { ShopRow } from './shop.ts';

const TTL_MS = 5_000;
/** Entries per cache; the least recently used go first, never the whole cache at once. */
export const CREDENTIAL_CACHE_LIMIT = 10_000;

/** A shop as its API key sees it: the key's id names who acted in audit trails. */
export type KeyShop = ShopRow & { api_key_id: string };

/**
 * Resolves API keys to shops and shops to their live webhook secrets, with a short cache so
 * ingestion at thousands of requests per second does not read them every time. A revoked key
 * stops working in this process at once and in others within 5 seconds.
 *
 * Keys that were found and keys that were not are cached apart: a flood of random keys (each
 * costs one query, then is remembered for 5 seconds) only pushes out other unknown keys, never
 * the shops' real ones.
 */
export class Credentials {
  private keys = new BoundedCache<string, { shop: KeyShop; until: number }>(CREDENTIAL_CACHE_LIMIT);
  private unknownKeys = new BoundedCache<string, number>(CREDENTIAL_CACHE_LIMIT);
  private secrets = new BoundedCache<string, { secrets: string[]; until: number }>(
    CREDENTIAL_CACHE_LIMIT,
  );

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly box: SecretBox,
  ) {}

  async shopForApiKey(token: string): Promise<KeyShop | null> {
    const hash = hashToken(token);
    const cacheKey = hash.toString('base64');
    const now = this.clock.now().getTime();
    const hit = this.keys.get(cacheKey);
    if (hit && hit.until > now) return hit.shop;
    if ((this.unknownKeys.get(cacheKey) ?? 0) > now) return null;
    const shop =
      (await this.db
        .selectFrom('api_keys')
        .innerJoin('shops', 'shops.id', 'api_keys.shop_id')
        .selectAll('shops')
        .select('api_keys.id as api_key_id')
        .where('api_keys.token_hash', '=', hash)
        .where('api_keys.revoked_at', 'is', null)
        .executeTakeFirst()) ?? null;
    if (shop) this.keys.set(cacheKey, { shop, until: now + TTL_MS });
    else this.unknownKeys.set(cacheKey, now + TTL_MS);
    return shop;
  }

  /** Secrets that verify a delivery now: the current one and any in their overlap hour. */
  async webhookSecrets(shopId: string): Promise<string[]> {
    const now = this.clock.now().getTime();
    const hit = this.secrets.get(shopId);
    if (hit && hit.until > now) return hit.secrets;
    const rows = await this.db
      .selectFrom('webhook_secrets')
      .select(['secret_box', 'retires_at'])
      .where('shop_id', '=', shopId)
      .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', this.clock.now())]))
      .orderBy('created_at', 'desc')
      .execute();
    const secrets = rows.map((r) => this.box.open(r.secret_box).toString('utf8'));
    // Never cache past the moment a secret retires.
    const firstRetirement = Math.min(...rows.map((r) => r.retires_at?.getTime() ?? Infinity));
    this.secrets.set(shopId, { secrets, until: Math.min(now + TTL_MS, firstRetirement) });
    return secrets;
  }

  /** How many entries the caches hold (they never exceed CREDENTIAL_CACHE_LIMIT each). */
  cacheSizes() {
    return { keys: this.keys.size, unknownKeys: this.unknownKeys.size, secrets: this.secrets.size };
  }

  forget(shopId?: string): void {
    this.keys.clear();
    this.unknownKeys.clear();
    if (shopId) this.secrets.delete(shopId);
    else this.secrets.clear();
  }
}
