import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { SHARE_CHANNELS } from '../../referrals/share-messages.ts';
import {
  listShareMessages,
  resetShareMessage,
  saveShareMessage,
} from '../../referrals/manage-share-messages.ts';
import { leaveThankYouNote } from '../../referrals/leave-thank-you-note.ts';

const channel = z.enum(SHARE_CHANNELS);
const locale = z
  .enum(['pl', 'en'])
  .optional()
  .describe("the message's language; the shop's by default");
const message = z.object({
  channel,
  subject: z.string().nullable().describe('e-mail only'),
  text: z.string(),
  edited: z.boolean().describe('the customer’s own wording'),
  shareUrl: z.string().nullable().describe('what a share button opens (null: copy the text)'),
});
const customerParams = z.object({ customerId: z.string() });

/** Share messages a referrer sends friends, and the friend's thank-you to the referrer. */
export function referralSharingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const publicUrl = ctx.config.publicUrl;

  r.get(
    '/v1/customers/:customerId/referrals/share-messages',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: "Ready share messages per channel, with the customer's link and the discount",
        params: customerParams,
        querystring: z.object({
          locale,
          form: z
            .enum(['neutral', 'feminine', 'masculine'])
            .default('neutral')
            .describe('Polish wording: neutral, or "zamówiłam" / "zamówiłem"'),
        }),
        response: {
          200: z.object({
            customerId: z.string(),
            referralCode: z.string(),
            link: z.string(),
            locale: z.enum(['pl', 'en']),
            form: z.string(),
            discount: z.string().nullable().describe("the friend's discount in words"),
            messages: z.array(message),
          }),
        },
      },
    },
    async (request) =>
      listShareMessages(
        ctx.db,
        shopOf(request),
        { customerId: request.params.customerId, ...request.query },
        publicUrl,
        ctx.clock.now(),
      ),
  );

  r.put(
    '/v1/customers/:customerId/referrals/share-messages/:channel',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: "Keep the customer's own wording of a channel's share message",
        description:
          'The text may use {link}, {code}, {discount}, {shop} and {firstName}; the link, code ' +
          'and discount written out are stored as those placeholders. It must carry the link or ' +
          'the code.',
        params: customerParams.extend({ channel }),
        body: z.object({
          locale,
          text: z.string().trim().min(1).max(2000),
          subject: z.string().trim().max(200).nullish().describe('e-mail only'),
        }),
        response: { 200: message },
      },
    },
    async (request) =>
      saveShareMessage(
        ctx.db,
        shopOf(request),
        { customerId: request.params.customerId, channel: request.params.channel, ...request.body },
        publicUrl,
        ctx.clock.now(),
      ),
  );

  r.delete(
    '/v1/customers/:customerId/referrals/share-messages/:channel',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['referrals'],
        summary: "Forget the customer's wording: the ready message again",
        params: customerParams.extend({ channel }),
        querystring: z.object({ locale }),
        response: { 200: message },
      },
    },
    async (request) =>
      resetShareMessage(
        ctx.db,
        shopOf(request),
        {
          customerId: request.params.customerId,
          channel: request.params.channel,
          locale: request.query.locale,
        },
        publicUrl,
        ctx.clock.now(),
      ),
  );

  r.post(
    '/v1/customers/:customerId/referral-thank-you',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['referrals'],
        summary: 'The friend thanks the referrer in one line (shown in the referrer’s list)',
        params: customerParams.describe("the friend, the shop's own id"),
        body: z.object({
          note: z
            .string()
            .trim()
            .min(1)
            .max(280)
            .regex(/^[^\r\n]*$/, 'one line: no line breaks'),
        }),
        response: {
          200: z.object({ referralId: z.string(), note: z.string(), at: z.string() }),
        },
      },
    },
    async (request) =>
      leaveThankYouNote(
        ctx.db,
        shopOf(request),
        { customerId: request.params.customerId, note: request.body.note },
        ctx.clock.now(),
      ),
  );
}
