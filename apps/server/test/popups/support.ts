import { expect } from 'vitest';
import { bearer, type TestApp } from '../support/app.ts';

export type Shop = { id: string; apiKey: string };

export async function call(
  t: TestApp,
  shop: Shop,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url,
    headers: bearer(shop.apiKey),
    ...(payload !== undefined && { payload: payload as object }),
  });
}

export const CONSENT_PL =
  'Chcę dostawać newsletter sklepu z nowościami i promocjami. Mogę się wypisać w każdej chwili.';
export const CONSENT_EN =
  'I want to get the shop’s newsletter with news and offers. I can unsubscribe at any time.';

/** A pop-up definition with two variants, both languages, exit intent. */
export function newsletterPopup(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Newsletter −10%',
    kind: 'newsletter',
    variants: [
      {
        id: 'a',
        weight: 1,
        content: {
          pl: {
            title: 'Zapisz się i odbierz 10% rabatu',
            body: 'Nowości i promocje raz w tygodniu.',
            consentText: CONSENT_PL,
            button: 'Zapisuję się',
          },
          en: {
            title: 'Sign up and get 10% off',
            body: 'News and offers once a week.',
            consentText: CONSENT_EN,
            button: 'Sign me up',
          },
        },
      },
      {
        id: 'b',
        weight: 1,
        content: {
          pl: {
            title: 'Rabat 10% na pierwsze zakupy',
            body: '',
            consentText: CONSENT_PL,
            button: 'Chcę rabat',
          },
          en: {
            title: '10% off your first order',
            body: '',
            consentText: CONSENT_EN,
            button: 'Get my discount',
          },
        },
      },
    ],
    triggers: { exitIntent: true, afterSeconds: 30 },
    ...overrides,
  };
}

export async function createPopup(t: TestApp, shop: Shop, overrides: Record<string, unknown> = {}) {
  const res = await call(t, shop, 'POST', '/v1/popups', newsletterPopup(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; variants: Array<{ id: string }> };
}

export async function createCampaign(t: TestApp, shop: Shop) {
  const res = await call(t, shop, 'POST', '/v1/coupon-campaigns', {
    name: 'Powitanie',
    discount: { kind: 'percentage', percent: 10 },
    firstOrderOnly: true,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

export function storefrontPopups(
  t: TestApp,
  shopId: string,
  query: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'GET',
    url: `/storefront/v1/shops/${shopId}/popups?${new URLSearchParams(query)}`,
    headers,
  });
}

export function signUp(
  t: TestApp,
  shopId: string,
  popupId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  remoteAddress = '203.0.113.7',
) {
  return t.app.inject({
    method: 'POST',
    url: `/storefront/v1/shops/${shopId}/popups/${popupId}/sign-ups`,
    headers: { 'user-agent': 'Mozilla/5.0 (test)', ...headers },
    remoteAddress,
    payload: body as object,
  });
}

/** The confirmation link in a mail's text. */
export function confirmLinkIn(text: string): string {
  const match = /https?:\/\/\S+\/popups\/confirm\/[A-Za-z0-9_.-]+/.exec(text);
  if (!match) throw new Error(`no confirmation link in: ${text}`);
  return match[0];
}
