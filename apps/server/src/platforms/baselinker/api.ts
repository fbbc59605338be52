import { parseJsonLossless } from '../../shared/json.ts';
import { zonedTime } from '../../shared/zoned-time.ts';
import {
  PlatformError,
  type PlatformHttp,
  type PlatformResponse,
} from '../../connections/connector.ts';

/** BaseLinker's one endpoint (api.base.com). Settings may point elsewhere (tests, a proxy). */
export const BASELINKER_URL = 'https://api.baselinker.com/connector.php';

export type Answer = Record<string, unknown>;

/**
 * One call of BaseLinker's API: a form POST of `method` and `parameters` (JSON) with the token
 * in `X-BLToken`. BaseLinker answers errors with HTTP 200 and `{status: "ERROR", error_code,
 * error_message}`; they become PlatformErrors by kind (see errorKind).
 */
export async function callBaseLinker(
  http: PlatformHttp,
  input: { url: string; token: string },
  method: string,
  parameters: Record<string, unknown>,
): Promise<Answer> {
  const response = await http.request({
    method: 'POST',
    url: input.url,
    headers: { 'X-BLToken': input.token },
    form: { method, parameters: JSON.stringify(parameters) },
    purpose: `BaseLinker ${method}`,
  });
  const answer = readAnswer(response, method);
  if (answer.status === 'SUCCESS') return answer;
  throw baseLinkerError(answer, method);
}

function readAnswer(response: PlatformResponse, method: string): Answer {
  if (response.status === 404) {
    throw new PlatformError('address', `BaseLinker ${method}: the API address answered 404`, {
      status: 404,
    });
  }
  if (response.status !== 200) {
    throw new PlatformError(
      'bad-response',
      `BaseLinker ${method}: unexpected HTTP ${response.status}`,
      { status: response.status },
    );
  }
  let body: unknown;
  try {
    body = parseJsonLossless(response.text);
  } catch {
    throw new PlatformError('bad-response', `BaseLinker ${method}: the answer is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PlatformError('bad-response', `BaseLinker ${method}: the answer is not an object`);
  }
  const answer = body as Answer;
  if (answer.status !== 'SUCCESS' && answer.status !== 'ERROR') {
    throw new PlatformError('bad-response', `BaseLinker ${method}: no status in the answer`);
  }
  return answer;
}

const LIMIT_WAIT_MS = 60_000;

/**
 * BaseLinker's error codes by kind. Documented: ERROR_BAD_TOKEN, ERROR_USER_ACCOUNT_BLOCKED;
 * the exact code of "too many requests" is not (marked unverified in docs/integrations/
 * baselinker.md): any code or message speaking of a limit or a block counts as rate-limited,
 * and a "blocked until <date>" in the message sets the wait.
 */
export function errorKind(code: string, message: string): PlatformError['kind'] {
  if (/TOKEN|ACCOUNT_BLOCKED|PERMISSION|ACCESS_DENIED/i.test(code)) return 'auth';
  if (/LIMIT|TOO_MANY|BLOCKED/i.test(code) || /limit|blocked until/i.test(message)) {
    return 'rate-limited';
  }
  return 'bad-response';
}

export function baseLinkerError(answer: Answer, method: string, now = Date.now()): PlatformError {
  const code = typeof answer.error_code === 'string' ? answer.error_code : 'ERROR';
  const message = typeof answer.error_message === 'string' ? answer.error_message : '';
  const kind = errorKind(code, message);
  const text = `BaseLinker ${method}: ${code}${message ? ` (${message.slice(0, 200)})` : ''}`;
  if (kind === 'rate-limited') {
    return new PlatformError(kind, text, { retryAfterMs: blockedFor(message, now) });
  }
  if (kind === 'auth') {
    return new PlatformError(
      kind,
      `${text}: check the API token in BaseLinker (Moje konto → API / My account → API)`,
    );
  }
  return new PlatformError(kind, text);
}

/** "… blocked until 2026-03-02 10:05:00" (Polish time) → the wait in ms, at most an hour. */
function blockedFor(message: string, now: number): number {
  const m = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(message);
  if (!m) return LIMIT_WAIT_MS;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
  const at = zonedTime('Europe/Warsaw', year!, month!, day!, hour!, minute!).getTime();
  const wait = at + (second ?? 0) * 1000 - now;
  return wait > 0 ? Math.min(wait, 3_600_000) : LIMIT_WAIT_MS;
}

/**
 * The connector's throttle: BaseLinker's limit answer comes as HTTP 200, so the spacer learns of
 * it here (and holds every call of the connection), not from a 429.
 */
export function baseLinkerThrottle(response: PlatformResponse): number | null {
  if (response.status !== 200 || !response.text.includes('"ERROR"')) return null;
  try {
    const answer = JSON.parse(response.text) as Answer;
    if (answer.status !== 'ERROR') return null;
    const error = baseLinkerError(answer, 'call');
    return error.kind === 'rate-limited' ? (error.details.retryAfterMs ?? LIMIT_WAIT_MS) : null;
  } catch {
    return null;
  }
}
