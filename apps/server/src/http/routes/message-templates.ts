import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { listMessageTemplates } from '../../automations/list-message-templates.ts';
import { previewMessageTemplate } from '../../automations/preview-message-template.ts';
import { resetMessageTemplate } from '../../automations/reset-message-template.ts';
import { saveMessageTemplate } from '../../automations/save-message-template.ts';
import { showMessageTemplate } from '../../automations/show-message-template.ts';
import { sendTestMessage } from '../../automations/send-test-message.ts';
import { databaseOutbox } from '../../automations/message-channels.ts';
import { smtpTransport } from '../../messaging/smtp-transport.ts';
import { channel } from './messaging-schemas.ts';

const tags = ['messaging'];
const localized = z.object({ pl: z.string(), en: z.string() });
// A template past a render limit (docs/messaging.md, "Limits"); 429/503 while renders queue.
const renderResponses = {
  422: problemSchema
    .extend({
      limit: z.enum(['output-size', 'mjml-elements', 'render-time', 'memory']),
      messages: localized.describe('what to change, for the merchant'),
    })
    .describe('the template goes past a render limit'),
  503: problemSchema,
};
const templateParams = z.object({
  key: z.string().max(100),
  channel: z.string().max(20),
  locale: z.string().max(20),
});

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

/** The ready-made message templates, the shop's own versions of them, and previews. */
export function messageTemplateRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
        response: { 200: templateView },
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
        response: { 200: templateView, ...renderResponses },
      },
    },
    async (request) =>
      saveMessageTemplate(
        ctx.db,
        ctx.clock,
        shopOf(request),
        { publicUrl: ctx.config.publicUrl, renderer: ctx.renderer },
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
        response: { 204: z.null() },
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
        body: z
          .object({
            content: templateBody.optional(),
            customerId: z
              .string()
              .min(1)
              .max(255)
              .optional()
              .describe("one of the shop's customers (its own id) instead of the sample customer"),
          })
          .nullish(),
        response: { 200: previewSchema, ...renderResponses },
      },
    },
    async (request) =>
      previewMessageTemplate(
        ctx.db,
        ctx.clock,
        shopOf(request),
        { publicUrl: ctx.config.publicUrl, renderer: ctx.renderer },
        request.params,
        request.body?.content,
        request.body?.customerId,
      ),
  );

  // Tests go where the shop's mail goes: SMTP_URL, or the shop's local outbox without it.
  const testTransport = ctx.config.smtpUrl
    ? smtpTransport(ctx.config.smtpUrl)
    : databaseOutbox(ctx.db, ctx.clock);
  app.addHook('onClose', async () => testTransport.close());
  r.post(
    `${templatePath}/test-send`,
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "Send the e-mail template (or the draft in `content`, unsaved), rendered for the sample customer, to the signed-in person's own address, marked [TEST] — over SMTP_URL, or into the local outbox without it",
        params: templateParams,
        body: z
          .object({
            content: templateBody.optional(),
            customerId: z
              .string()
              .min(1)
              .max(255)
              .optional()
              .describe("one of the shop's customers (its own id) instead of the sample customer"),
          })
          .nullish(),
        response: {
          200: z.object({
            to: z.string(),
            subject: z.string(),
            outbox: z.boolean().describe('kept in the local outbox (no SMTP_URL)'),
            messageId: z.string(),
          }),
          // Past a render limit (limit, messages), or no address / not an e-mail template.
          422: problemSchema.extend({
            limit: z.enum(['output-size', 'mjml-elements', 'render-time', 'memory']).optional(),
            messages: localized.optional(),
          }),
          502: problemSchema.describe('the mail server refused the test'),
          503: problemSchema,
        },
      },
    },
    async (request) =>
      sendTestMessage(
        ctx.db,
        ctx.clock,
        shopOf(request),
        {
          publicUrl: ctx.config.publicUrl,
          renderer: ctx.renderer,
          transport: testTransport,
          mailFrom: ctx.config.mailFrom,
          outbox: !ctx.config.smtpUrl,
        },
        request.params,
        request.member?.email ?? null,
        request.body?.content,
        request.body?.customerId,
      ),
  );
}
