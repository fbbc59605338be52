import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TemplateRenderer } from '../messaging/template-renderer.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { previewMessageTemplate } from './preview-message-template.ts';
import { showMessageTemplate } from './show-message-template.ts';
import { parseTemplateContent, templateAddress } from './template-content.ts';

/**
 * Saves the shop's own version of a template for one channel and language. It is rendered for
 * the sample customer first: a template that would fail at sending time (or go past a render
 * limit) is refused now, with the field and line of each problem, instead of failing every
 * message later.
 */
export async function saveMessageTemplate(
  db: Kysely<Database>,
  clock: Clock,
  shop: ShopRow,
  deps: { publicUrl: string; renderer: TemplateRenderer },
  params: { key: string; channel: string; locale: string },
  raw: unknown,
) {
  await previewMessageTemplate(db, clock, shop, deps, params, raw);
  const address = templateAddress(params.key, params.channel, params.locale);
  const row = {
    content: JSON.stringify(parseTemplateContent(address.channel, raw)),
    updated_at: clock.now(),
  };
  await db
    .insertInto('message_templates')
    .values({
      shop_id: shop.id,
      template_key: address.key,
      channel: address.channel,
      locale: address.locale,
      ...row,
    })
    .onConflict((oc) =>
      oc.columns(['shop_id', 'template_key', 'channel', 'locale']).doUpdateSet(row),
    )
    .execute();
  return showMessageTemplate(db, shop.id, params);
}
