import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TemplateRenderer } from '../messaging/template-renderer.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerPreviewVariables } from './customer-preview-variables.ts';
import { messagingSettings } from './messaging-settings.ts';
import { renderTemplatePreview } from './render-template-preview.ts';
import { showMessageTemplate } from './show-message-template.ts';
import { parseTemplateContent, templateAddress } from './template-content.ts';

/**
 * A template rendered for the sample customer (or one of the shop's customers, by its own id): the draft when the editor sends one (nothing is
 * saved), else the version messages use now.
 */
export async function previewMessageTemplate(
  db: Kysely<Database>,
  clock: Clock,
  shop: ShopRow,
  deps: { publicUrl: string; renderer: TemplateRenderer },
  params: { key: string; channel: string; locale: string },
  draft: unknown,
  customerId?: string,
) {
  const address = templateAddress(params.key, params.channel, params.locale);
  const content =
    draft === undefined
      ? (await showMessageTemplate(db, shop.id, params)).content
      : parseTemplateContent(address.channel, draft);
  const settings = (await messagingSettings(db, [shop.id])).get(shop.id)!;
  const variables = customerId
    ? await customerPreviewVariables(
        db,
        shop,
        customerId,
        address.locale,
        deps.publicUrl,
        clock.now(),
      )
    : undefined;
  return renderTemplatePreview({
    ...(variables ? { variables } : {}),
    shop,
    settings,
    channel: address.channel,
    locale: address.locale,
    content,
    publicUrl: deps.publicUrl,
    now: clock.now(),
    renderer: deps.renderer,
  });
}
