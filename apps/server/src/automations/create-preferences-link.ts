import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import type { Clock } from '../shared/clock.ts';
import type { SigningKeys } from '../shared/signed-token.ts';
import { messageToken, readMessageToken } from './message-links.ts';

/**
 * A signed link to a customer's preferences page for the shop to put in its own e-mails (order
 * confirmations, newsletters sent elsewhere), so every message can offer the same opt-out.
 */
export async function createPreferencesLink(
  db: Kysely<Database>,
  clock: Clock,
  keys: SigningKeys,
  publicUrl: string,
  shopId: string,
  externalId: string,
) {
  const customerId = await findCustomerId(db, shopId, externalId, { allowRedacted: false });
  const now = clock.now();
  const token = messageToken(keys, 'preferences', { s: shopId, c: customerId }, now);
  const exp = readMessageToken(keys, 'preferences', token, now)!.exp!;
  return {
    url: `${publicUrl.replace(/\/$/, '')}/m/p/${token}`,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}
