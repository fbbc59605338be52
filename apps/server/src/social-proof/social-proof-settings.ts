import type { Db } from '../db/connect.ts';
import type { SocialProofMessage } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';

export type { SocialProofMessage };

export const SOCIAL_PROOF_MESSAGES: readonly SocialProofMessage[] = [
  'bought_today',
  'recent_city',
  'recent_name',
];

/** The floor under any threshold: fewer buyers than this could point at one person. */
export const MIN_CUSTOMERS_FLOOR = 3;

export interface SocialProofSettings {
  enabled: boolean;
  /** Fewer distinct customers than this and an aggregate message is not shown. */
  minCustomers: number;
  /** How many days back "recently" reaches (the city and the first-name messages). */
  recentDays: number;
  /** First names of customers who consented; nobody else's name, whatever this says. */
  showFirstNames: boolean;
  messages: SocialProofMessage[];
}

/** Off until the merchant turns it on: it speaks about the shop's customers. */
export const defaultSocialProofSettings: SocialProofSettings = {
  enabled: false,
  minCustomers: MIN_CUSTOMERS_FLOOR,
  recentDays: 7,
  showFirstNames: false,
  messages: ['bought_today', 'recent_city'],
};

export async function loadSocialProofSettings(
  db: Db,
  shopId: string,
): Promise<SocialProofSettings> {
  const row = await db
    .selectFrom('social_proof_settings')
    .selectAll()
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  if (!row)
    return { ...defaultSocialProofSettings, messages: [...defaultSocialProofSettings.messages] };
  return {
    enabled: row.enabled,
    minCustomers: row.min_customers,
    recentDays: row.recent_days,
    showFirstNames: row.show_first_names,
    // In the catalogue's order, whatever order they were saved in.
    messages: SOCIAL_PROOF_MESSAGES.filter((m) => row.messages.includes(m)),
  };
}

/** Replaces the settings; fields left out keep their current values. */
export async function saveSocialProofSettings(
  db: Db,
  clock: Clock,
  input: { shopId: string } & Partial<SocialProofSettings>,
): Promise<SocialProofSettings> {
  const current = await loadSocialProofSettings(db, input.shopId);
  const next: SocialProofSettings = {
    enabled: input.enabled ?? current.enabled,
    minCustomers: input.minCustomers ?? current.minCustomers,
    recentDays: input.recentDays ?? current.recentDays,
    showFirstNames: input.showFirstNames ?? current.showFirstNames,
    messages: SOCIAL_PROOF_MESSAGES.filter((m) => (input.messages ?? current.messages).includes(m)),
  };
  const values = {
    enabled: next.enabled,
    min_customers: next.minCustomers,
    recent_days: next.recentDays,
    show_first_names: next.showFirstNames,
    messages: next.messages,
    updated_at: clock.now(),
  };
  await db
    .insertInto('social_proof_settings')
    .values({ shop_id: input.shopId, ...values })
    .onConflict((oc) => oc.column('shop_id').doUpdateSet(values))
    .execute();
  return next;
}
