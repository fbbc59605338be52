import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../schemas.ts';
import { shopOf } from '../auth.ts';
import { brandKitSchema } from '../../messaging/brand-kit.ts';
import { createPushKeys } from '../../automations/create-push-keys.ts';
import { findPushKey } from '../../automations/find-push-key.ts';
import { messagingSettingsInput } from '../../automations/messaging-settings-schema.ts';
import { readMessagingSettings } from '../../automations/read-messaging-settings.ts';
import { saveMessagingSettings } from '../../automations/save-messaging-settings.ts';
import {
  CONSENT_CHANNELS,
  CONSENT_LOCALES,
  CONSENT_PURPOSES,
  listConsentTexts,
  saveConsentTexts,
} from '../../automations/consent-texts.ts';

const tags = ['messaging'];

const settingsSchema = z
  .object({
    senderName: z.string().nullable(),
    fromAddress: z.string().nullable(),
    replyTo: z.string().nullable(),
    postalAddress: z.string().nullable(),
    brand: brandKitSchema,
    quietHours: z.object({ start: z.string(), end: z.string() }),
    weeklyMarketingCap: z.number().int(),
    tracking: z.boolean(),
    conversionDays: z.number().int(),
    smsSender: z.string().nullable(),
    smsProvider: z
      .object({ provider: z.enum(['smsapi', 'twilio']), configured: z.literal(true) })
      .nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'MessagingSettings' });

const consentTextKey = {
  channel: z.enum(CONSENT_CHANNELS),
  purpose: z.enum(CONSENT_PURPOSES),
  locale: z.enum(CONSENT_LOCALES),
};
const consentTexts = z
  .object({
    data: z.array(
      z.object({
        ...consentTextKey,
        text: z.string(),
        own: z.boolean().describe('false: the default wording'),
        updatedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ConsentTexts' });

/**
 * The shop's messaging settings, its web push (VAPID) keys, which are not settings, and the
 * words it asks for consent with.
 */
export function messagingSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/messaging/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Messaging settings (the SMS provider shows only whether it is configured)',
        response: { 200: settingsSchema },
      },
    },
    async (request) => readMessagingSettings(ctx.db, shopOf(request).id),
  );

  r.put(
    '/v1/messaging/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Replace the messaging settings; absent fields take the defaults, except the write-only SMS credentials, which stay unless given (null removes them)',
        body: messagingSettingsInput,
        response: { 200: settingsSchema },
      },
    },
    async (request) =>
      saveMessagingSettings(ctx.db, ctx.clock, ctx.box, shopOf(request).id, request.body),
  );

  r.post(
    '/v1/messaging/push-keys',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'Create the web push (VAPID) key pair, once: 201 when made, 200 with the existing public key after that',
        response: {
          200: z.object({ publicKey: z.string() }),
          201: z.object({ publicKey: z.string() }),
        },
      },
    },
    async (request, reply) => {
      const keys = await createPushKeys(ctx.db, ctx.clock, ctx.box, shopOf(request).id);
      return reply.status(keys.created ? 201 : 200).send({ publicKey: keys.publicKey });
    },
  );

  r.get(
    '/v1/messaging/push-keys',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The shop's public VAPID key for pushManager.subscribe(); 404 until created",
        response: { 200: z.object({ publicKey: z.string() }), 404: problemSchema },
      },
    },
    async (request) => findPushKey(ctx.db, shopOf(request).id),
  );

  r.get(
    '/v1/messaging/consent-texts',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'The words the shop asks for consent with, per channel × purpose × language: its own, or the default wording (own: false). Record them as textShown when a customer answers',
        response: { 200: consentTexts },
      },
    },
    async (request) => ({ data: await listConsentTexts(ctx.db, shopOf(request).id) }),
  );

  r.put(
    '/v1/messaging/consent-texts',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Save consent texts; texts not given stay, an empty text or the default wording goes back to the default',
        body: z.object({
          texts: z
            .array(z.object({ ...consentTextKey, text: z.string().max(1000) }))
            .min(1)
            .max(18),
        }),
        response: { 200: consentTexts },
      },
    },
    async (request) => ({
      data: await saveConsentTexts(ctx.db, ctx.clock, shopOf(request).id, request.body.texts),
    }),
  );
}
