import { DeliveryError, type DeliveryErrorKind } from './delivery-error.ts';
import { providerRequest } from './provider-request.ts';
import { countSmsSegments } from './sms-segments.ts';
import type { FetchLike, SmsProvider } from './sms-provider.ts';

// Twilio error codes (https://www.twilio.com/docs/api/errors) that mean the number will not
// take messages: unsubscribed (STOP), not a valid or not a mobile number, unreachable.
const BOUNCE = new Set([21610, 21211, 21614, 21612, 30003, 30005, 30006]);
const TRANSIENT = new Set([20429, 20500, 20503, 30001, 30002]);

/**
 * Twilio's Messages API with the account SID and auth token. Twilio has no idempotency key
 * for sending, so the caller's exactly-once bookkeeping is all there is.
 */
export function twilioProvider(options: {
  accountSid: string;
  authToken: string;
  baseUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}): SmsProvider {
  const base = options.baseUrl ?? 'https://api.twilio.com';
  const url = new URL(
    `/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`,
    base,
  ).href;
  const auth = Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
  const fetchImpl = options.fetch ?? fetch;
  return {
    name: 'twilio',
    async send(input) {
      const { status, body } = await providerRequest(fetchImpl, url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${auth}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: input.to, From: input.from, Body: input.text }),
        timeoutMs: options.timeoutMs,
      });
      const answer = (body ?? {}) as {
        sid?: string;
        num_segments?: string;
        code?: number;
        message?: string;
      };
      if (status >= 200 && status < 300 && answer.sid) {
        const segments = Number(answer.num_segments) || countSmsSegments(input.text).segments;
        return { providerId: answer.sid, segments };
      }
      const code = answer.code;
      throw new DeliveryError(
        kindOf(status, code),
        `Twilio answered ${status}${code ? ` (error ${code})` : ''}: ${answer.message ?? ''}`.trim(),
        code ? String(code) : String(status),
      );
    },
  };
}

function kindOf(status: number, code: number | undefined): DeliveryErrorKind {
  if (code !== undefined && BOUNCE.has(code)) return 'bounce';
  if (code !== undefined && TRANSIENT.has(code)) return 'transient';
  if (status === 429 || status >= 500) return 'transient';
  return 'permanent';
}
