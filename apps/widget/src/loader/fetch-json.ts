import type { FetchError, FetchInit, Locale } from '../shared/context.ts';

/**
 * The chunks' one way to call Lojal: the shop's storefront routes with the customer token, the
 * page's language, JSON, and never a cookie (`credentials: 'omit'`). A problem+json answer or a
 * network failure rejects with a FetchError (status 0 for the network). No cookie is ever sent
 * to Lojal; through the App Proxy the call is the shop's own, with the shop's cookies.
 */
export function makeFetchJson(
  base: string,
  locale: Locale,
  token: () => string | null,
  proxied = false,
) {
  return async function fetchJson<T>(path: string, init: FetchInit = {}): Promise<T> {
    const { json, anonymous, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set('accept', 'application/json');
    headers.set('accept-language', locale);
    const bearer = anonymous ? null : token();
    if (bearer && !headers.has('authorization')) headers.set('authorization', `Bearer ${bearer}`);
    let body: string | undefined;
    if (json !== undefined) {
      body = JSON.stringify(json);
      headers.set('content-type', 'application/json');
    }
    let response: Response;
    try {
      response = await fetch(base + path, {
        ...rest,
        body,
        headers,
        // Through Shopify's App Proxy the shop's own session cookie says who is signed in.
        credentials: proxied ? 'same-origin' : 'omit',
        mode: 'cors',
      });
    } catch {
      throw failure(0, null, 'network');
    }
    const data: unknown = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const problem = (data ?? null) as FetchError['problem'];
      throw failure(
        response.status,
        problem,
        problem?.detail ?? problem?.title ?? `HTTP ${response.status}`,
      );
    }
    return data as T;
  };
}

function failure(status: number, problem: FetchError['problem'], message: string): FetchError {
  return Object.assign(new Error(message), { status, problem }) as FetchError;
}
