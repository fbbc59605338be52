/** The staff app's calls to Lojal's counter API, with the device's token (docs/staff-app.md). */
const TOKEN_KEY = 'lojal-staff-token';

export const storedToken = () => localStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string | null) =>
  token === null ? localStorage.removeItem(TOKEN_KEY) : localStorage.setItem(TOKEN_KEY, token);

export interface Problem {
  status: number;
  type: string;
  title: string;
  detail?: string;
  messages?: { pl: string; en: string };
  errors?: { path: string; message: string }[];
}

/** The server answered with a problem (a refusal); a network failure is a TypeError instead. */
export class Refused extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** The device was revoked: the server refused its token (set by the app). */
let onRevoked: () => void = () => undefined;
export const whenRevoked = (handler: () => void) => {
  onRevoked = handler;
};

export async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; idempotencyKey?: string; token?: string | null } = {},
): Promise<T> {
  const token = options.token === undefined ? storedToken() : options.token;
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...(options.idempotencyKey && { 'idempotency-key': options.idempotencyKey }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    cache: 'no-store',
  });
  const text = await response.text();
  const json: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    if (response.status === 401 && token) onRevoked();
    throw new Refused({ status: response.status, ...(json as Omit<Problem, 'status'>) });
  }
  return json as T;
}

/** What the barista reads for a refusal: the server's words in the screen's language. */
export function problemText(problem: Problem, lang: 'pl' | 'en'): string {
  if (problem.messages) return problem.messages[lang];
  const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return fields
    ? `${problem.detail ?? problem.title} (${fields})`
    : (problem.detail ?? problem.title);
}

export interface Session {
  staff: { id: string; name: string; role: 'staff' | 'manager' };
  shop: { id: string; name: string; currency: string; timezone: string };
  visitCards: {
    id: string;
    name: { pl: string; en: string };
    stampsRequired: number;
    dailyLimit: number | null;
  }[];
  consentTexts: { channel: string; purpose: string; text: { pl: string; en: string } }[];
}

export interface CounterCustomer {
  id: string;
  name: string | null;
  contact: string | null;
  points: { available: number; pending: number };
  stampCards: {
    programmeId: string;
    name: { pl: string; en: string };
    earnBy: string;
    stamps: number;
    stampsRequired: number;
    completedCards: number;
    stampsToday: number;
    dailyLimit: number | null;
    stampedToday: boolean;
    limitReached: boolean;
  }[];
  readyRewards: {
    couponId: string;
    name: { pl: string; en: string };
    from: 'stamps' | 'points';
    fromName: { pl: string; en: string };
    minBasket: number | null;
    expiresAt: string | null;
  }[];
  rewards: {
    id: string;
    name: { pl: string; en: string };
    pointsCost: number;
    affordable: boolean;
  }[];
}

export interface StampResult {
  customerId: string;
  stampsToday: number;
  dailyLimit: number | null;
  card: { stamps: number; stampsRequired: number };
  rewards: { name: { pl: string; en: string }; coupon: { code: string } | null }[];
}

export interface GiftCardSale {
  id: string;
  code: string;
  pin: string;
  maskedCode: string;
  currency: string;
  balance: { amount: number; currency: string };
  delivery: null | { email: string; sendAt: string };
}
