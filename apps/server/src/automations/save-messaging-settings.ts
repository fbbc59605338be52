import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { MessagingSettingsInput } from './messaging-settings-schema.ts';
import { DEFAULT_MESSAGING_SETTINGS } from './messaging-settings.ts';
import { readMessagingSettings } from './read-messaging-settings.ts';

/**
 * Replaces a shop's messaging settings: what the input leaves out goes back to the default.
 * The SMS credentials are the exception — they are write-only, so a client that read the
 * settings and puts them back must not wipe them: absent keeps them, null removes them.
 * Web push keys are not settings (POST /v1/messaging/push-keys) and are never touched here.
 */
export async function saveMessagingSettings(
  db: Kysely<Database>,
  clock: Clock,
  box: SecretBox,
  shopId: string,
  input: MessagingSettingsInput,
) {
  const d = DEFAULT_MESSAGING_SETTINGS;
  const values = {
    sender_name: input.senderName ?? d.senderName,
    from_address: input.fromAddress?.toLowerCase() ?? d.fromAddress,
    reply_to: input.replyTo ?? d.replyTo,
    postal_address: input.postalAddress ?? d.postalAddress,
    brand: JSON.stringify(input.brand ?? d.brand),
    sms_sender: input.smsSender ?? d.smsSender,
    quiet_start: input.quietHours?.start ?? d.quiet.start,
    quiet_end: input.quietHours?.end ?? d.quiet.end,
    weekly_marketing_cap: input.weeklyMarketingCap ?? d.weeklyMarketingCap,
    tracking: input.tracking ?? d.tracking,
    conversion_days: input.conversionDays ?? d.conversionDays,
    updated_at: clock.now(),
    ...(input.smsProvider !== undefined
      ? {
          sms_provider: input.smsProvider?.provider ?? null,
          sms_credentials: input.smsProvider
            ? box.seal(JSON.stringify(credentialsOf(input.smsProvider)))
            : null,
        }
      : {}),
  };
  await db
    .insertInto('messaging_settings')
    .values({ shop_id: shopId, ...values })
    .onConflict((oc) => oc.column('shop_id').doUpdateSet(values))
    .execute();
  return readMessagingSettings(db, shopId);
}

function credentialsOf(p: NonNullable<MessagingSettingsInput['smsProvider']>) {
  return p.provider === 'smsapi'
    ? { token: p.token }
    : { accountSid: p.accountSid, authToken: p.authToken };
}
