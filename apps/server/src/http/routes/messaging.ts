import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemResponses } from '../schemas.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { brandKitSchema } from '../../messaging/brand-kit.ts';
import { createPreferencesLink } from '../../automations/create-preferences-link.ts';
import { createPushKeys } from '../../automations/create-push-keys.ts';
import { createWebhookEndpoint } from '../../automations/create-webhook-endpoint.ts';
import { disableWebhookEndpoint } from '../../automations/disable-webhook-endpoint.ts';
import { findPushKey } from '../../automations/find-push-key.ts';
import { listMessageTemplates } from '../../automations/list-message-templates.ts';
import { listWebhookEndpoints } from '../../automations/list-webhook-endpoints.ts';
import { customerConsents, recordConsents } from '../../automations/manage-consents.ts';
import { messagingSettingsInput } from '../../automations/messaging-settings-schema.ts';
import { previewMessageTemplate } from '../../automations/preview-message-template.ts';
import { readMessagingSettings } from '../../automations/read-messaging-settings.ts';
import { receiveInboundSms } from '../../automations/receive-inbound-sms.ts';
import { recordDeliveryEvent } from '../../automations/record-delivery-event.ts';
import { resetMessageTemplate } from '../../automations/reset-message-template.ts';
import { revokePushSubscription } from '../../automations/revoke-push-subscription.ts';
import { rotateWebhookEndpointSecret } from '../../automations/rotate-webhook-endpoint-secret.ts';
import { saveMessageTemplate } from '../../automations/save-message-template.ts';
import { saveMessagingSettings } from '../../automations/save-messaging-settings.ts';
import { savePushSubscription } from '../../automations/save-push-subscription.ts';
import { showMessageTemplate } from '../../automations/show-message-template.ts';

const tags = ['messaging'];
const channel = z.enum(['email', 'sms', 'push']);
const purpose = z.enum(['marketing', 'loyalty', 'feedback']);
const customerParams = z.object({ customerId: z.string().min(1).max(255) });
const templateParams = z.object({
  key: z.string().max(100),
  channel: z.string().max(20),
  locale: z.string().max(20),
});
const endpointParams = z.object({ id: z.string().max(100) });

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

const CONTENT_SHAPES =
  'email: {subject, preheader?, body (Liquid → MJML body elements), text?}; sms: {text}; push: {title, body}';
const templateContent = z
  .object({
    subject: z.string().optional(),
    preheader: z.string().optional(),
    body: z.string().optional(),
    text: z.string().optional(),
    title: z.string().optional(),
  })
  .meta({ id: 'TemplateContent', description: CONTENT_SHAPES });
// Which fields a channel takes is checked against the channel in the URL (template-content.ts).
const templateBody = z.looseObject({}).describe(CONTENT_SHAPES);

const templateView = z
  .object({
    key: z.string(),
    channel,
    locale: z.string(),
    purpose: z.string(),
    own: z.boolean().describe("whether this is the shop's own version"),
    updatedAt: z.string().nullable(),
    content: templateContent,
  })
  .meta({ id: 'MessageTemplate' });

const previewSchema = z
  .union([
    z.object({
      channel: z.literal('email'),
      subject: z.string(),
      html: z.string(),
      text: z.string(),
    }),
    z.object({
      channel: z.literal('sms'),
      text: z.string(),
      segments: z.object({
        encoding: z.enum(['GSM-7', 'UCS-2']),
        units: z.number().int(),
        segments: z.number().int(),
      }),
    }),
    z.object({ channel: z.literal('push'), title: z.string(), body: z.string() }),
  ])
  .meta({ id: 'TemplatePreview' });

const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
const endpointWithSecret = endpointSchema.extend({
  secret: z.string().describe('shown in this answer only'),
});

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'URL-safe base64')
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, `${what} of ${bytes} bytes`);

const consentsSchema = z
  .object({
    consents: z.array(
      z.object({
        channel,
        purpose,
        granted: z.boolean(),
        source: z.enum(['recorded', 'default']),
        changedAt: z.string().nullable(),
      }),
    ),
    history: z.array(
      z.object({
        id: z.string(),
        channel: z.string(),
        purpose: z.string(),
        granted: z.boolean(),
        source: z.string(),
        textShown: z.string().nullable(),
        clientAddress: z.string().nullable(),
        userAgent: z.string().nullable(),
        messageId: z.string().nullable(),
        occurredAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'CustomerConsents' });

/**
 * The messaging admin API for merchants and integrators: settings and channel keys, template
 * overrides with previews, webhook endpoints, push subscriptions, SMS replies, delivery reports
 * from the shop's providers, and consent.
 */
export function messagingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/messaging/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Messaging settings (the SMS provider shows only whether it is configured)',
        response: { 200: settingsSchema, ...problemResponses },
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
        response: { 200: settingsSchema, ...problemResponses },
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
          ...problemResponses,
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
        response: { 200: z.object({ publicKey: z.string() }), ...problemResponses },
      },
    },
    async (request) => findPushKey(ctx.db, shopOf(request).id),
  );

  r.get(
    '/v1/messaging/templates',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Every ready-made template with its purpose, its channels and languages, and which the shop has made its own',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                key: z.string(),
                purpose: z.string(),
                day: z.number().int().optional(),
                readyMade: z.array(z.object({ channel, locale: z.string() })),
                overridden: z.array(
                  z.object({ channel, locale: z.string(), updatedAt: z.string() }),
                ),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({ data: await listMessageTemplates(ctx.db, shopOf(request).id) }),
  );

  const templatePath = '/v1/messaging/templates/:key/:channel/:locale';

  r.get(
    templatePath,
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The content messages of this template use now: the shop's own or the ready-made",
        params: templateParams,
        response: { 200: templateView, ...problemResponses },
      },
    },
    async (request) => showMessageTemplate(ctx.db, shopOf(request).id, request.params),
  );

  r.put(
    templatePath,
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          "Save the shop's own version; it is rendered for a sample customer first, and a template that does not render is refused with each problem's field and line (body:line 3)",
        params: templateParams,
        body: templateBody,
        response: { 200: templateView, ...problemResponses },
      },
    },
    async (request) =>
      saveMessageTemplate(
        ctx.db,
        ctx.clock,
        shopOf(request),
        ctx.config.publicUrl,
        request.params,
        request.body,
      ),
  );

  r.delete(
    templatePath,
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Go back to the ready-made version',
        params: templateParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await resetMessageTemplate(ctx.db, shopOf(request).id, request.params);
      return reply.status(204).send(null);
    },
  );

  r.post(
    `${templatePath}/preview`,
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'Render the template (or the draft in `content`, unsaved) for a sample customer: e-mail subject, HTML and text; SMS text with its encoding and segment count; push title and body',
        params: templateParams,
        body: z.object({ content: templateBody.optional() }).nullish(),
        response: { 200: previewSchema, ...problemResponses },
      },
    },
    async (request) =>
      previewMessageTemplate(
        ctx.db,
        ctx.clock,
        shopOf(request),
        ctx.config.publicUrl,
        request.params,
        request.body?.content,
      ),
  );

  r.post(
    '/v1/webhook-endpoints',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "Register a URL for flows' webhook steps; the signing secret is shown once. Hosts that are not public are refused",
        body: z.object({ url: z.string().max(2000) }),
        response: { 201: endpointWithSecret, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createWebhookEndpoint(ctx.db, ctx.clock, ctx.box, shopOf(request).id, request.body),
        ),
  );

  r.get(
    '/v1/webhook-endpoints',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'The webhook endpoints, without their secrets',
        response: { 200: z.object({ data: z.array(endpointSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ data: await listWebhookEndpoints(ctx.db, shopOf(request).id) }),
  );

  r.post(
    '/v1/webhook-endpoints/:id/disable',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Stop deliveries to an endpoint',
        params: endpointParams,
        response: { 200: endpointSchema, ...problemResponses },
      },
    },
    async (request) => disableWebhookEndpoint(ctx.db, shopOf(request).id, request.params.id),
  );

  r.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'A new signing secret, shown once; deliveries use it from now on',
        params: endpointParams,
        response: { 200: endpointWithSecret, ...problemResponses },
      },
    },
    async (request) =>
      rotateWebhookEndpointSecret(ctx.db, ctx.box, shopOf(request).id, request.params.id),
  );

  r.post(
    '/v1/customers/:customerId/push-subscriptions',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "Record a browser's push subscription (PushSubscription.toJSON()); the same endpoint again updates it and makes it live",
        params: customerParams,
        body: z.object({
          endpoint: z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2000),
          keys: z.object({
            p256dh: base64url(65, 'a P-256 public key'),
            auth: base64url(16, 'an auth secret'),
          }),
          userAgent: z.string().max(500).optional(),
        }),
        response: {
          201: z.object({
            id: z.string(),
            customerId: z.string(),
            endpoint: z.string(),
            createdAt: z.string(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await savePushSubscription(
            ctx.db,
            ctx.clock,
            shopOf(request).id,
            request.params.customerId,
            request.body,
          ),
        ),
  );

  r.delete(
    '/v1/customers/:customerId/push-subscriptions',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Stop push to one browser of the customer',
        params: customerParams,
        querystring: z.object({ endpoint: z.string().min(1).max(2000) }),
        response: {
          200: z.object({
            id: z.string(),
            customerId: z.string(),
            endpoint: z.string(),
            revokedAt: z.string(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      revokePushSubscription(
        ctx.db,
        ctx.clock,
        shopOf(request).id,
        request.params.customerId,
        request.query.endpoint,
      ),
  );

  r.post(
    '/v1/sms/inbound',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'A reply to the shop\'s SMS. A stop request ("STOP", "NIE", "Rezygnuję"…) withdraws SMS consent from every customer with that phone and suppresses the number',
        body: z.object({
          from: z
            .string()
            .regex(/^\+[1-9]\d{6,14}$/, 'a phone number in E.164 form (+48600100200)'),
          text: z.string().max(1600),
          provider: z.enum(['smsapi', 'twilio']).optional(),
        }),
        response: {
          200: z.object({ stopped: z.boolean(), customers: z.number().int() }),
          ...problemResponses,
        },
      },
    },
    async (request) => receiveInboundSms(ctx.db, ctx.clock, shopOf(request).id, request.body),
  );

  r.post(
    '/v1/messages/:messageId/events',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "A delivery report from the shop's e-mail or SMS provider: delivered, bounced (the address is suppressed) or complained (suppressed, and consent for the message's purpose withdrawn)",
        params: z.object({ messageId: z.string().max(100) }),
        body: z.object({
          kind: z.enum(['delivered', 'bounced', 'complained']),
          at: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          200: z.object({
            messageId: z.string(),
            kind: z.string(),
            recorded: z.boolean().describe('false when this kind was already reported'),
            status: z.string(),
          }),
          422: problemResponses[400],
          ...problemResponses,
        },
      },
    },
    async (request) =>
      recordDeliveryEvent(ctx.db, ctx.clock, shopOf(request).id, request.params.messageId, {
        kind: request.body.kind,
        at: request.body.at ? new Date(request.body.at) : undefined,
      }),
  );

  r.get(
    '/v1/customers/:customerId/consents',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Consent per channel and purpose (the recorded answer or the default) and the history with its proof',
        params: customerParams,
        response: { 200: consentsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const shopId = shopOf(request).id;
      const customerId = await findCustomerId(ctx.db, shopId, request.params.customerId);
      return customerConsents(ctx.db, shopId, customerId);
    },
  );

  r.post(
    '/v1/customers/:customerId/consents',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'Record consent answers given in the shop (a checkout checkbox, a POS) with their proof: the exact text the person saw',
        params: customerParams,
        body: z.object({
          changes: z
            .array(
              z.object({
                channel,
                purpose,
                granted: z.boolean(),
                textShown: z.string().trim().min(1).max(5000),
                clientAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
                userAgent: z.string().max(500).optional(),
                at: z.iso.datetime({ offset: true }).optional(),
              }),
            )
            .min(1)
            .max(20),
        }),
        response: { 201: consentsSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      const customerId = await recordConsents(
        ctx.db,
        ctx.clock,
        shopId,
        request.params.customerId,
        request.body.changes.map((c) => ({
          channel: c.channel,
          purpose: c.purpose,
          granted: c.granted,
          source: 'api' as const,
          textShown: c.textShown,
          clientAddress: c.clientAddress ?? null,
          userAgent: c.userAgent ?? null,
          ...(c.at ? { at: new Date(c.at) } : {}),
        })),
      );
      return reply.status(201).send(await customerConsents(ctx.db, shopId, customerId));
    },
  );

  r.get(
    '/v1/customers/:customerId/preferences-link',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          "A signed link to the customer's preferences page, for the shop's own e-mails (valid for a year)",
        params: customerParams,
        response: {
          200: z.object({ url: z.string(), expiresAt: z.string() }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      createPreferencesLink(
        ctx.db,
        ctx.clock,
        ctx.box,
        ctx.config.publicUrl,
        shopOf(request).id,
        request.params.customerId,
      ),
  );
}
