import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { QuietHours } from './quiet-hours.ts';

export interface MessagingSettings {
  senderName: string | null;
  fromAddress: string | null;
  replyTo: string | null;
  postalAddress: string | null;
  brand: Record<string, unknown>;
  smsSender: string | null;
  smsProvider: 'smsapi' | 'twilio' | null;
  quiet: QuietHours;
  weeklyMarketingCap: number;
  tracking: boolean;
  conversionDays: number;
}

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  senderName: null,
  fromAddress: null,
  replyTo: null,
  postalAddress: null,
  brand: {},
  smsSender: null,
  smsProvider: null,
  quiet: { start: '21:00', end: '08:00' },
  weeklyMarketingCap: 3,
  tracking: true,
  conversionDays: 5,
};

const hhmm = (t: string) => t.slice(0, 5);

/** Each shop's messaging settings, the defaults where a shop has saved none. */
export async function messagingSettings(
  db: Kysely<Database>,
  shopIds: string[],
): Promise<Map<string, MessagingSettings>> {
  const out = new Map<string, MessagingSettings>();
  for (const id of shopIds) out.set(id, DEFAULT_MESSAGING_SETTINGS);
  if (shopIds.length === 0) return out;
  const rows = await db
    .selectFrom('messaging_settings')
    .select([
      'shop_id',
      'sender_name',
      'from_address',
      'reply_to',
      'postal_address',
      'brand',
      'sms_sender',
      'sms_provider',
      'quiet_start',
      'quiet_end',
      'weekly_marketing_cap',
      'tracking',
      'conversion_days',
    ])
    .where('shop_id', 'in', shopIds)
    .execute();
  for (const r of rows) {
    out.set(r.shop_id, {
      senderName: r.sender_name,
      fromAddress: r.from_address,
      replyTo: r.reply_to,
      postalAddress: r.postal_address,
      brand: r.brand,
      smsSender: r.sms_sender,
      smsProvider: r.sms_provider,
      quiet: { start: hhmm(r.quiet_start), end: hhmm(r.quiet_end) },
      weeklyMarketingCap: r.weekly_marketing_cap,
      tracking: r.tracking,
      conversionDays: r.conversion_days,
    });
  }
  return out;
}
