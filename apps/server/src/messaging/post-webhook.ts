import http from 'node:http';
import https from 'node:https';
import { DeliveryError } from './delivery-error.ts';
import { outboundUrlRefusal, type OutboundPolicy } from './outbound-url.ts';
import { publicOnlyLookup } from './public-address.ts';
import { signWebhook } from './webhook-signature.ts';

/**
 * Delivers one outbound webhook, signed (see webhook-signature.ts). 2xx is delivered; 410 means
 * the endpoint is gone; other 4xx (but 408 and 429) will not succeed on retry; anything else,
 * including timeouts, may. A URL the policy refuses (a port, a private or loopback address, a
 * name resolving to one at connect time) is a permanent failure: a merchant's URL cannot reach
 * our own network.
 */
export async function postWebhook(input: {
  url: string;
  secret: string;
  body: string;
  deliveryId: string;
  timeoutMs: number;
  outbound: OutboundPolicy;
  nowSeconds?: number;
}): Promise<{ status: number }> {
  const url = new URL(input.url);
  const refusal = outboundUrlRefusal(url, input.outbound);
  if (refusal) throw new DeliveryError('permanent', `Webhook URL: ${refusal.en}`, 'EOUTBOUND');
  const timestamp = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const status = await send(url, input, {
    'content-type': 'application/json',
    'user-agent': 'Lojal-Webhooks/1',
    'lojal-signature': signWebhook(input.secret, timestamp, input.body),
    'lojal-delivery-id': input.deliveryId,
    'lojal-timestamp': String(timestamp),
    'content-length': String(Buffer.byteLength(input.body)),
  });
  if (status >= 200 && status < 300) return { status };
  if (status === 410) throw new DeliveryError('gone', 'The webhook endpoint is gone (410)', '410');
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    throw new DeliveryError(
      'permanent',
      `The webhook endpoint refused it (${status})`,
      String(status),
    );
  }
  throw new DeliveryError('transient', `The webhook endpoint answered ${status}`, String(status));
}

function send(
  url: URL,
  input: { body: string; timeoutMs: number; outbound: OutboundPolicy },
  headers: Record<string, string>,
): Promise<number> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers,
        lookup: input.outbound.privateNetworks ? undefined : publicOnlyLookup,
      },
      (res) => {
        // The answer's body is not used; reading it frees the socket.
        res.resume();
        res.on('end', () => {
          clearTimeout(deadline);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (e) => reject(networkError(e)));
      },
    );
    // A deadline for the whole exchange, not only for an idle socket.
    const deadline = setTimeout(
      () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
      input.timeoutMs,
    );
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(networkError(e));
    });
    req.end(input.body);
  });
}

function networkError(error: Error & { code?: string }): DeliveryError {
  if (error.code === 'ENOTPUBLIC') {
    return new DeliveryError('permanent', error.message, error.code, { cause: error });
  }
  return new DeliveryError('transient', `Webhook not delivered: ${error.message}`, error.code, {
    cause: error,
  });
}
