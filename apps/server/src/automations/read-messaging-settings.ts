import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { defaultBrandKit } from '../messaging/brand-kit.ts';
import { messagingSettings } from './messaging-settings.ts';

/**
 * A shop's messaging settings as the API shows them: the defaults where nothing is saved, the
 * brand kit filled in, and of the SMS provider only which one it is — never its credentials.
 */
export async function readMessagingSettings(db: Kysely<Database>, shopId: string) {
  const [settings, secrets] = await Promise.all([
    messagingSettings(db, [shopId]).then((all) => all.get(shopId)!),
    db
      .selectFrom('messaging_settings')
      .select(['sms_provider', 'sms_credentials', 'updated_at'])
      .where('shop_id', '=', shopId)
      .executeTakeFirst(),
  ]);
  return {
    senderName: settings.senderName,
    fromAddress: settings.fromAddress,
    replyTo: settings.replyTo,
    postalAddress: settings.postalAddress,
    brand: { ...defaultBrandKit, ...settings.brand },
    quietHours: settings.quiet,
    weeklyMarketingCap: settings.weeklyMarketingCap,
    tracking: settings.tracking,
    conversionDays: settings.conversionDays,
    smsSender: settings.smsSender,
    smsProvider:
      secrets?.sms_provider && secrets.sms_credentials
        ? { provider: secrets.sms_provider, configured: true as const }
        : null,
    updatedAt: secrets?.updated_at.toISOString() ?? null,
  };
}
