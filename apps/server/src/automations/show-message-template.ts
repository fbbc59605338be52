import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { problems } from '../shared/errors.ts';
import { templateAddress, type TemplateContent } from './template-content.ts';

/** The content a message of this template would be rendered from now, and whose it is. */
export async function showMessageTemplate(
  db: Kysely<Database>,
  shopId: string,
  params: { key: string; channel: string; locale: string },
) {
  const address = templateAddress(params.key, params.channel, params.locale);
  const own = await db
    .selectFrom('message_templates')
    .select(['content', 'updated_at'])
    .where('shop_id', '=', shopId)
    .where('template_key', '=', address.key)
    .where('channel', '=', address.channel)
    .where('locale', '=', address.locale)
    .executeTakeFirst();
  const content = (own?.content as TemplateContent | undefined) ?? address.readyContent;
  if (!content) {
    throw problems.notFound(
      `A ${address.channel} version of ${address.key} in ${address.locale} (PUT one to add it)`,
    );
  }
  return {
    key: address.key,
    channel: address.channel,
    locale: address.locale,
    purpose: address.ready.purpose,
    own: own !== undefined,
    updatedAt: own?.updated_at.toISOString() ?? null,
    content,
  };
}
