import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { refuseFutureTimes } from '../../shared/client-time.ts';
import { receiveInboundSms } from '../../automations/receive-inbound-sms.ts';
import { recordDeliveryEvent } from '../../automations/record-delivery-event.ts';

const tags = ['messaging'];

/** What the shop's e-mail and SMS providers report back: SMS replies and delivery reports. */
export function providerCallbackRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
          at: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('when it happened; not in the future (5 minutes of clock skew allowed)'),
        }),
        response: {
          200: z.object({
            messageId: z.string(),
            kind: z.string(),
            recorded: z.boolean().describe('false when this kind was already reported'),
            status: z.string(),
          }),
          422: problemSchema,
        },
      },
    },
    async (request) => {
      refuseFutureTimes(ctx.clock.now(), [{ path: 'at', at: request.body.at }]);
      return recordDeliveryEvent(ctx.db, ctx.clock, shopOf(request).id, request.params.messageId, {
        kind: request.body.kind,
        at: request.body.at ? new Date(request.body.at) : undefined,
      });
    },
  );
}
