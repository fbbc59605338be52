import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { DeliveryError } from '../messaging/delivery-error.ts';
import type { EmailTransport } from '../messaging/email-transport.ts';
import { outboxTransport } from '../messaging/outbox-transport.ts';
import { postWebhook } from '../messaging/post-webhook.ts';
import { smsapiProvider } from '../messaging/smsapi-provider.ts';
import { smtpTransport } from '../messaging/smtp-transport.ts';
import { twilioProvider } from '../messaging/twilio-provider.ts';
import { webPushSender } from '../messaging/web-push-sender.ts';
import { guardedFetch } from '../messaging/guarded-fetch.ts';
import type { OutboundPolicy } from '../messaging/outbound-url.ts';
import type { MessageChannels } from './deliver-messages.ts';

/** Where mail goes without SMTP_URL: the mail_outbox table, readable through the API. */
export function databaseOutbox(db: Db, clock: Clock): EmailTransport {
  return outboxTransport(async (mail) => {
    const [shopId, messageId] = [mail.headers['X-Lojal-Shop'], mail.headers['X-Lojal-Message']];
    if (!shopId || !messageId)
      throw new DeliveryError('permanent', 'outbox mail without its message');
    await db
      .insertInto('mail_outbox')
      .values({
        shop_id: shopId,
        message_id: messageId,
        to_address: mail.to,
        subject: mail.subject,
        raw: mail.raw,
        created_at: clock.now(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
}

/**
 * The real channels: e-mail over SMTP_URL (or the outbox), and per shop the SMS provider, web
 * push keys and webhook endpoints it configured, their secrets opened with the instance key.
 * Webhook and push URLs are the merchant's: `outbound` says which ones may be reached.
 */
export function messageChannels(
  db: Db,
  clock: Clock,
  box: SecretBox,
  options: { smtpUrl?: string | undefined; outbound: OutboundPolicy; publicUrl: string },
): MessageChannels {
  const email = options.smtpUrl
    ? smtpTransport(options.smtpUrl, { pool: true, maxConnections: 4 })
    : databaseOutbox(db, clock);
  return {
    email,
    async sms(shopId) {
      const s = await db
        .selectFrom('messaging_settings')
        .select(['sms_provider', 'sms_credentials', 'sms_sender'])
        .where('shop_id', '=', shopId)
        .executeTakeFirst();
      if (!s?.sms_provider || !s.sms_credentials) return null;
      const credentials = JSON.parse(box.open(s.sms_credentials).toString('utf8')) as Record<
        string,
        string
      >;
      const provider =
        s.sms_provider === 'smsapi'
          ? smsapiProvider({
              token: credentials.token!,
              ...(credentials.baseUrl ? { baseUrl: credentials.baseUrl } : {}),
            })
          : twilioProvider({
              accountSid: credentials.accountSid!,
              authToken: credentials.authToken!,
              ...(credentials.baseUrl ? { baseUrl: credentials.baseUrl } : {}),
            });
      return { provider, sender: s.sms_sender ?? 'Lojal' };
    },
    async push(shopId, customerId, payload, sendOptions) {
      const s = await db
        .selectFrom('messaging_settings')
        .select(['vapid_public_key', 'vapid_private_key'])
        .where('shop_id', '=', shopId)
        .executeTakeFirst();
      if (!s?.vapid_public_key || !s.vapid_private_key)
        throw new DeliveryError('permanent', 'web push keys are not set up');
      const sender = webPushSender(
        {
          publicKey: s.vapid_public_key,
          privateKey: box.open(s.vapid_private_key).toString('utf8'),
          subject: options.publicUrl.startsWith('https://')
            ? options.publicUrl
            : 'mailto:push@lojal.invalid',
        },
        // Endpoints come from browsers through the shop: public addresses only.
        { fetch: guardedFetch(options.outbound) },
      );
      const subscriptions = await db
        .selectFrom('push_subscriptions')
        .select(['id', 'endpoint', 'p256dh', 'auth'])
        .where('shop_id', '=', shopId)
        .where('customer_id', '=', customerId)
        .where('revoked_at', 'is', null)
        .execute();
      let delivered: string | null = null;
      let lastError: unknown = new DeliveryError('permanent', 'no push subscription');
      for (const sub of subscriptions) {
        try {
          const r = await sender.send(
            { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
            payload,
            sendOptions,
          );
          delivered ??= r.providerId;
        } catch (error) {
          lastError = error;
          if (error instanceof DeliveryError && error.kind === 'gone') {
            await db
              .updateTable('push_subscriptions')
              .set({ revoked_at: clock.now() })
              .where('shop_id', '=', shopId)
              .where('id', '=', sub.id)
              .execute();
          }
        }
      }
      if (delivered === null) throw lastError;
      return { providerId: delivered };
    },
    async webhook(shopId, endpointId, body, deliveryId) {
      const endpoint = await db
        .selectFrom('webhook_endpoints')
        .select(['url', 'secret', 'status'])
        .where('shop_id', '=', shopId)
        .where('id', '=', endpointId)
        .executeTakeFirst();
      if (!endpoint || endpoint.status !== 'active')
        throw new DeliveryError('permanent', `webhook endpoint ${endpointId} is not active`);
      const { status } = await postWebhook({
        url: endpoint.url,
        secret: box.open(endpoint.secret).toString('utf8'),
        body,
        deliveryId,
        timeoutMs: 10_000,
        outbound: options.outbound,
        nowSeconds: Math.floor(clock.now().getTime() / 1000),
      });
      return { providerId: `${deliveryId}:${status}` };
    },
  };
}
