import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { templateAddress } from './template-content.ts';

/** Drops the shop's own version: messages go back to the ready-made one. Repeat-safe. */
export async function resetMessageTemplate(
  db: Kysely<Database>,
  shopId: string,
  params: { key: string; channel: string; locale: string },
): Promise<void> {
  const address = templateAddress(params.key, params.channel, params.locale);
  await db
    .deleteFrom('message_templates')
    .where('shop_id', '=', shopId)
    .where('template_key', '=', address.key)
    .where('channel', '=', address.channel)
    .where('locale', '=', address.locale)
    .execute();
}
