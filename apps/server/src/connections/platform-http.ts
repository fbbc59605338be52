import { guardedFetch } from '../messaging/guarded-fetch.ts';
import type { OutboundPolicy } from '../messaging/outbound-url.ts';
import type { FetchLike } from '../messaging/sms-provider.ts';
import {
  PlatformError,
  type PlatformConnector,
  type PlatformHttp,
  type PlatformRequest,
  type PlatformResponse,
} from './connector.ts';

const TIMEOUT_MS = 30_000;
// A page of 100 orders with their lines is well under this; anything larger is not an answer.
const MAX_ANSWER = 32 * 1024 * 1024;

/**
 * Spaces one connection's calls so its platform's limit is never passed: at most `requests`
 * calls in any `perMs` window, and none before `notBefore`, which a 429's Retry-After or the
 * platform's own limit headers push back. Shared by every job of the connection in this process.
 *
 * The platform counts a call when it arrives, which is somewhere between the moment Lojal sends
 * it and the moment the answer comes back; latency varies from call to call. So a call holds its
 * place in the window from its start until its answer, and then for `perMs` after the answer:
 * counted from the start alone, a slow call followed by a fast one arrives as N+1 calls inside
 * one window on the platform's side.
 */
export class CallSpacer {
  private calls: Array<{ at: number; answered: boolean }> = [];
  private notBefore = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: { requests: number; perMs: number },
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Resolves when the next call may start, and counts it as started; the function it resolves
   * to marks the call answered (its place in the window then runs from that moment). Calls take
   * turns.
   */
  take(): Promise<() => void> {
    const turn = this.chain.then(() => this.waitForSlot());
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** Nothing starts before `ms` from now (a 429, a nearly full bucket). */
  holdFor(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }

  private async waitForSlot(): Promise<() => void> {
    for (;;) {
      const now = this.now();
      this.calls = this.calls.filter((c) => !c.answered || c.at > now - this.limit.perMs);
      const answered = this.calls.filter((c) => c.answered).map((c) => c.at);
      const windowFull = this.calls.length >= this.limit.requests;
      const wait = Math.max(
        this.notBefore - now,
        windowFull
          ? answered.length > 0
            ? Math.min(...answered) + this.limit.perMs - now
            : // every place is held by a call still waiting for its answer
              Math.min(50, this.limit.perMs)
          : 0,
      );
      if (wait <= 0) {
        const call = { at: now, answered: false };
        this.calls.push(call);
        return () => {
          if (call.answered) return;
          call.answered = true;
          call.at = Math.max(call.at, this.now());
        };
      }
      await this.sleep(wait);
    }
  }
}

const spacers = new Map<string, CallSpacer>();

/** The spacer of one connection in this process. */
export function spacerFor(connectionId: string, connector: PlatformConnector): CallSpacer {
  let spacer = spacers.get(connectionId);
  if (!spacer) {
    spacer = new CallSpacer(connector.rateLimit);
    spacers.set(connectionId, spacer);
  }
  return spacer;
}

/**
 * The HTTP client a connector gets (connector.ts, PlatformHttp): spaced calls, a timeout, the
 * outbound policy (no private networks in production), errors by kind.
 */
export function platformHttp(input: {
  connector: PlatformConnector;
  spacer: CallSpacer;
  policy: OutboundPolicy;
  fetch?: FetchLike;
  timeoutMs?: number;
}): PlatformHttp {
  const doFetch = input.fetch ?? guardedFetch(input.policy, MAX_ANSWER);
  const timeoutMs = input.timeoutMs ?? TIMEOUT_MS;
  return {
    async request(request: PlatformRequest): Promise<PlatformResponse> {
      const answered = await input.spacer.take();
      try {
        return await send(request);
      } finally {
        answered();
      }
    },
  };

  async function send(request: PlatformRequest): Promise<PlatformResponse> {
    const url = new URL(request.url);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'Lojal',
      ...request.headers,
    };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.raw) {
      headers['content-type'] = request.raw.contentType;
      body = request.raw.text;
    }
    const what = request.purpose ?? `${request.method} ${url.pathname}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PlatformError('unavailable', `${what}: ${networkReason(error)}`);
    }
    const answer: PlatformResponse = {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
    };
    const throttleMs = input.connector.throttle?.(answer) ?? null;
    if (throttleMs !== null && throttleMs > 0) input.spacer.holdFor(throttleMs);
    if (answer.status === 429) {
      const retryAfterMs = retryAfter(answer.headers) ?? throttleMs ?? 60_000;
      input.spacer.holdFor(retryAfterMs);
      throw new PlatformError('rate-limited', `${what}: the platform asks to slow down (429)`, {
        status: 429,
        retryAfterMs,
      });
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new PlatformError(
        'auth',
        `${what}: the platform refused the credentials (${answer.status})${excerpt(answer.text)}`,
        { status: answer.status },
      );
    }
    if (answer.status >= 500) {
      throw new PlatformError(
        'unavailable',
        `${what}: the platform answered ${answer.status}${excerpt(answer.text)}`,
        { status: answer.status, retryAfterMs: retryAfter(answer.headers) ?? undefined },
      );
    }
    return answer;
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(headers: Headers, now = Date.now()): number | null {
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer within 30 s';
  const code = e.code ?? e.cause?.code;
  if (code === 'ENOTFOUND') return 'the address does not exist (DNS)';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTPUBLIC' || code === 'EOUTBOUND') return e.message ?? 'a non-public address';
  return e.message ?? String(error);
}

/** The start of an error answer, for the connection's error list (never a credential: ours are in headers). */
function excerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t ? `: ${t.slice(0, 200)}` : '';
}
