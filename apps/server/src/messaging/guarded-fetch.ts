import http from 'node:http';
import https from 'node:https';
import type { FetchLike } from './sms-provider.ts';
import { outboundUrlRefusal, type OutboundPolicy } from './outbound-url.ts';
import { publicOnlyLookup } from './public-address.ts';

const MAX_BODY = 4096;

/**
 * A fetch for addresses that come from outside (a browser's push endpoint): the policy's ports
 * and public addresses only — an IP literal judged before connecting (Node does not call
 * `lookup` for one), a name at connect time (no DNS rebinding) — redirects not followed, at
 * most 4 KB of the answer read (unless the caller needs more: a platform's order page). Our own network stays out of reach whatever the URL says.
 */
export const guardedFetch =
  (policy: OutboundPolicy, maxBody = MAX_BODY): FetchLike =>
  (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const refusal = outboundUrlRefusal(url, policy);
      if (refusal) {
        reject(Object.assign(new Error(`${url.host}: ${refusal.en}`), { code: 'EOUTBOUND' }));
        return;
      }
      const request = url.protocol === 'https:' ? https.request : http.request;
      const req = request(
        url,
        {
          method: init.method ?? 'GET',
          headers: init.headers as Record<string, string>,
          lookup: policy.privateNetworks ? undefined : publicOnlyLookup,
          signal: init.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < maxBody) chunks.push(chunk.subarray(0, maxBody - size));
            size += chunk.length;
          });
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string') headers.set(k, v);
            const status = res.statusCode ?? 502;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status: status < 200 ? 502 : status, headers }));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      const body = init.body;
      req.end(body instanceof Uint8Array || typeof body === 'string' ? body : undefined);
    });
