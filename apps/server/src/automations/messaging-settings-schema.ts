import { z } from 'zod';
import { brandKitSchema } from '../messaging/brand-kit.ts';

/**
 * What a merchant sets through PUT /v1/messaging/settings. Secrets (the SMS provider's
 * credentials) are write-only: they are sealed on save and never read back.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00–23:59)');

// One header line: a line break in a From name would start a new header.
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\r\n]*$/, 'one line, without line breaks');

/**
 * An SMS sender is a phone number (up to 15 digits, GSM 03.40) or an alphanumeric name of at most
 * 11 characters from the GSM 7-bit alphabet — in practice Latin letters without diacritics,
 * digits, spaces and . - & ' — with at least one letter, since all digits would read as a number.
 */
export const smsSenderSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (/^\+?\d+$/.test(value)) {
      if (value.replace('+', '').length > 15)
        ctx.addIssue({ code: 'custom', message: 'a numeric sender has at most 15 digits' });
      return;
    }
    if (value.length === 0 || value.length > 11)
      ctx.addIssue({
        code: 'custom',
        message: 'an alphanumeric sender has 1 to 11 characters (GSM 03.40)',
      });
    if (!/^[A-Za-z0-9 .&'-]*$/.test(value))
      ctx.addIssue({
        code: 'custom',
        message:
          "an alphanumeric sender uses Latin letters without diacritics, digits, spaces and . - & ' only",
      });
  });

export const smsProviderSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('smsapi'), token: z.string().trim().min(10).max(500) }),
  z.object({
    provider: z.literal('twilio'),
    accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'a Twilio account SID: AC and 32 hex digits'),
    authToken: z.string().trim().min(16).max(200),
  }),
]);

export const messagingSettingsInput = z.object({
  senderName: oneLine(100).nullish().describe('The From name; the shop name when absent'),
  fromAddress: z.email().max(254).nullish().describe('The From address of e-mail'),
  replyTo: z.email().max(254).nullish(),
  postalAddress: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .nullish()
    .describe('The postal address shown in every e-mail footer'),
  brand: brandKitSchema.partial().optional().describe('Missing parts take the default brand kit'),
  quietHours: z
    .object({ start: hhmm, end: hhmm })
    .optional()
    .describe('In the shop time zone: SMS and push wait until the end'),
  weeklyMarketingCap: z.number().int().min(0).max(50).optional(),
  tracking: z.boolean().optional().describe('Click and open tracking in e-mail'),
  conversionDays: z
    .number()
    .int()
    .min(0)
    .max(90)
    .optional()
    .describe('An order within this many days of a message counts as its conversion'),
  smsSender: smsSenderSchema.nullish(),
  smsProvider: smsProviderSchema
    .nullable()
    .optional()
    .describe('Write-only. Absent: the saved credentials stay; null: they are removed'),
});

export type MessagingSettingsInput = z.infer<typeof messagingSettingsInput>;
