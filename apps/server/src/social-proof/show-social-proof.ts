import type { Db } from '../db/connect.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import type { Clock } from '../shared/clock.ts';
import type { Locale } from '../shared/i18n.ts';
import { addDays, periodStart } from '../shared/zoned-time.ts';
import { readSocialProofFacts, type SocialProofFacts } from './read-social-proof-facts.ts';
import { socialProofNotes, type SocialProofNote } from './social-proof-messages.ts';
import { loadSocialProofSettings, type SocialProofSettings } from './social-proof-settings.ts';

/** How long counts and settings are reused: the route is asked on every product page view. */
export const SOCIAL_PROOF_TTL_MS = 60_000;

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * Per-process memory of settings and counts, each for a minute. A settings change or a
 * consent withdrawal made through this process is seen at once (it forgets the shop);
 * other processes see it within the minute.
 */
export class SocialProofCache {
  private readonly settings = new BoundedCache<string, Entry<SocialProofSettings>>(10_000);
  private readonly facts = new BoundedCache<string, Entry<SocialProofFacts>>(50_000);
  private readonly generation = new Map<string, number>();

  async settingsOf(db: Db, now: number, shopId: string): Promise<SocialProofSettings> {
    const hit = this.settings.get(shopId);
    if (hit && hit.until > now) return hit.value;
    const value = await loadSocialProofSettings(db, shopId);
    this.settings.set(shopId, { value, until: now + SOCIAL_PROOF_TTL_MS });
    return value;
  }

  async factsOf(
    key: string,
    shopId: string,
    now: number,
    load: () => Promise<SocialProofFacts>,
  ): Promise<SocialProofFacts> {
    const full = `${shopId}:${this.generation.get(shopId) ?? 0}:${key}`;
    const hit = this.facts.get(full);
    if (hit && hit.until > now) return hit.value;
    const value = await load();
    this.facts.set(full, { value, until: now + SOCIAL_PROOF_TTL_MS });
    return value;
  }

  /** Forgets what is kept for the shop (its old entries age out of the bounded maps). */
  forgetShop(shopId: string): void {
    this.settings.delete(shopId);
    this.generation.set(shopId, (this.generation.get(shopId) ?? 0) + 1);
  }
}

const caches = new WeakMap<Db, SocialProofCache>();

/** One cache per database handle: the storefront route reads it, the settings route forgets. */
export function socialProofCacheFor(db: Db): SocialProofCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new SocialProofCache();
    caches.set(db, cache);
  }
  return cache;
}

/**
 * The social-proof notes for one product page: "14 osób kupiło to dziś" counts the shop's
 * calendar day in its own time zone.
 */
export async function showSocialProof(
  db: Db,
  clock: Clock,
  input: {
    shop: { id: string; timezone: string };
    productId: string;
    locale: Locale;
    cache: SocialProofCache;
  },
): Promise<SocialProofNote[]> {
  const now = clock.now();
  const settings = await input.cache.settingsOf(db, now.getTime(), input.shop.id);
  if (!settings.enabled || settings.messages.length === 0) return [];
  const dayStart = periodStart(now, 'day', input.shop.timezone);
  const recentSince = addDays(now, -settings.recentDays);
  const withNames = settings.showFirstNames && settings.messages.includes('recent_name');
  // The day is part of the key: counts kept from before midnight never speak for "today".
  const key = [
    input.productId,
    dayStart.toISOString(),
    settings.minCustomers,
    settings.recentDays,
    withNames,
  ].join('|');
  const facts = await input.cache.factsOf(key, input.shop.id, now.getTime(), () =>
    readSocialProofFacts(db, {
      shopId: input.shop.id,
      productId: input.productId,
      dayStart,
      recentSince,
      now,
      minCustomers: settings.minCustomers,
      withNames,
    }),
  );
  return socialProofNotes(facts, settings, input.locale);
}
