import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readyTemplates, type TemplateKey } from '../messaging/ready-templates.ts';
import { locales } from '../shared/i18n.ts';
import type { TemplateChannel } from './template-content.ts';

const CHANNELS: TemplateChannel[] = ['email', 'sms', 'push'];

/** Every ready-made template, what it is for, and which versions the shop has made its own. */
export async function listMessageTemplates(db: Kysely<Database>, shopId: string) {
  const own = await db
    .selectFrom('message_templates')
    .select(['template_key', 'channel', 'locale', 'updated_at'])
    .where('shop_id', '=', shopId)
    .orderBy('template_key')
    .orderBy('channel')
    .orderBy('locale')
    .execute();
  return (Object.keys(readyTemplates) as TemplateKey[]).map((key) => {
    const ready = readyTemplates[key];
    return {
      key,
      purpose: ready.purpose,
      ...(ready.day !== undefined ? { day: ready.day } : {}),
      readyMade: CHANNELS.flatMap((channel) =>
        locales
          .filter((locale) => ready[channel]?.[locale] !== undefined)
          .map((locale) => ({ channel, locale })),
      ),
      overridden: own
        .filter((o) => o.template_key === key)
        .map((o) => ({
          channel: o.channel,
          locale: o.locale,
          updatedAt: o.updated_at.toISOString(),
        })),
    };
  });
}
