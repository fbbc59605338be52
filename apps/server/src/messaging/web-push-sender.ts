import webPush from 'web-push';
import { DeliveryError } from './delivery-error.ts';
import type { FetchLike } from './sms-provider.ts';

export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushPayload {
  title: string;
  body: string;
  url?: string;
  icon?: string;
}

export interface WebPushSender {
  send(
    subscription: PushSubscription,
    payload: PushPayload,
    options?: { ttlSeconds?: number; topic?: string },
  ): Promise<{ providerId: string }>;
}

/**
 * Web push with VAPID. web-push encrypts the payload and signs the request; we send it with
 * fetch (web-push's own sender only speaks https, which a test endpoint does not). 404 and 410
 * mean the browser dropped the subscription.
 */
export function webPushSender(
  vapid: { publicKey: string; privateKey: string; subject: string },
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): WebPushSender {
  const fetchImpl = options.fetch ?? fetch;
  return {
    async send(subscription, payload, sendOptions = {}) {
      const details = webPush.generateRequestDetails(subscription, JSON.stringify(payload), {
        vapidDetails: vapid,
        TTL: sendOptions.ttlSeconds ?? 24 * 3600,
        // Topic: a newer message with the same topic replaces an undelivered older one.
        ...(sendOptions.topic ? { topic: sendOptions.topic } : {}),
      });
      let response: Response;
      try {
        response = await fetchImpl(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body ? new Uint8Array(details.body) : null,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        // An address the outbound policy refuses will not become allowed by retrying.
        const code = (error as { code?: string }).code;
        const refused = code === 'EOUTBOUND' || code === 'ENOTPUBLIC';
        throw new DeliveryError(
          refused ? 'permanent' : 'transient',
          `Push service did not answer: ${String(error)}`,
          refused ? code : undefined,
          {
            cause: error,
          },
        );
      }
      const text = await response.text();
      const status = response.status;
      if (status >= 200 && status < 300) {
        return { providerId: response.headers.get('location') ?? `${status}` };
      }
      // The answer's body is not kept: it is the push service's (or whoever's) text.
      void text;
      const message = `Push service answered ${status}`;
      if (status === 404 || status === 410)
        throw new DeliveryError('gone', message, String(status));
      if (status === 429 || status >= 500)
        throw new DeliveryError('transient', message, String(status));
      throw new DeliveryError('permanent', message, String(status));
    },
  };
}

/** A new VAPID key pair (URL-safe base64) for a shop or an installation. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webPush.generateVAPIDKeys();
}
