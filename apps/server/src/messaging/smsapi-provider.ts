import { DeliveryError, type DeliveryErrorKind } from './delivery-error.ts';
import { providerRequest } from './provider-request.ts';
import { countSmsSegments } from './sms-segments.ts';
import type { FetchLike, SmsProvider } from './sms-provider.ts';

// SMSAPI.pl error codes (https://www.smsapi.pl/docs, "Kody błędów").
const BOUNCE = new Set([13, 57, 59]); // invalid or blacklisted number, opted out
const TRANSIENT = new Set([52, 103, 200, 201, 202, 203, 998, 999]); // rate limits, credits, outages
const ALREADY_SENT = 53; // the same idx was sent before and check_idx=1

/**
 * SMSAPI.pl over its REST API with an OAuth token. The send key goes in `idx` with
 * `check_idx=1`, so SMSAPI itself refuses to send one key twice (error 53, taken as sent).
 */
export function smsapiProvider(options: {
  token: string;
  baseUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}): SmsProvider {
  const url = new URL('/sms.do', options.baseUrl ?? 'https://api.smsapi.pl').href;
  const fetchImpl = options.fetch ?? fetch;
  return {
    name: 'smsapi',
    async send(input) {
      const form = new URLSearchParams({
        to: input.to.replace(/^\+/, ''),
        from: input.from,
        message: input.text,
        encoding: 'utf-8',
        format: 'json',
        idx: input.idempotencyKey,
        check_idx: '1',
      });
      const { status, body } = await providerRequest(fetchImpl, url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form,
        timeoutMs: options.timeoutMs,
      });
      const answer = (body ?? {}) as {
        error?: number | string;
        message?: string;
        list?: { id?: string; parts?: number }[];
      };
      if (answer.error !== undefined && answer.error !== null) {
        const code = Number(answer.error);
        if (code === ALREADY_SENT) {
          return {
            providerId: `idx:${input.idempotencyKey}`,
            segments: countSmsSegments(input.text).segments,
          };
        }
        throw new DeliveryError(
          kindOf(code),
          `SMSAPI error ${code}: ${answer.message ?? ''}`.trim(),
          String(code),
        );
      }
      if (status >= 500 || status === 429) {
        throw new DeliveryError('transient', `SMSAPI answered ${status}`, String(status));
      }
      const sent = answer.list?.[0];
      if (status >= 400 || !sent?.id) {
        throw new DeliveryError(
          'permanent',
          `SMSAPI answered ${status}: ${JSON.stringify(body)}`,
          String(status),
        );
      }
      return {
        providerId: String(sent.id),
        segments: Number(sent.parts ?? countSmsSegments(input.text).segments),
      };
    },
  };
}

function kindOf(code: number): DeliveryErrorKind {
  if (BOUNCE.has(code)) return 'bounce';
  if (TRANSIENT.has(code)) return 'transient';
  return 'permanent';
}
