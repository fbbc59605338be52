import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import { hashToken, newToken } from '../shared/secrets.ts';
import { API_KEY_PREFIX } from './shop.ts';

/** Creates an API key for a shop. The token is returned once; only its hash is stored. */
export async function issueApiKey(
  db: Kysely<Database>,
  shopId: string,
  label: string | null = null,
) {
  const apiKey = newToken(API_KEY_PREFIX);
  const row = await db
    .insertInto('api_keys')
    .values({
      shop_id: shopId,
      id: newId('key'),
      token_hash: hashToken(apiKey),
      token_hint: apiKey.slice(0, API_KEY_PREFIX.length + 4) + '…' + apiKey.slice(-4),
      label,
    })
    .returning(['id', 'token_hint', 'label', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    apiKey,
    hint: row.token_hint,
    label: row.label,
    createdAt: row.created_at.toISOString(),
  };
}
