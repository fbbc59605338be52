import { DeliveryError } from './delivery-error.ts';
import type { FetchLike } from './sms-provider.ts';

/**
 * One HTTP call to a provider. No answer (network, timeout) is transient: the provider may or
 * may not have acted, and the retry relies on its idempotency.
 */
export async function providerRequest(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit & { timeoutMs?: number },
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      ...init,
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new DeliveryError(
      'transient',
      `No answer from ${new URL(url).host}: ${String(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): kept as text for the message.
  }
  return { status: response.status, body };
}
