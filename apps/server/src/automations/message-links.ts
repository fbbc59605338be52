import type { SigningKeys } from '../surveys/survey-links.ts';
import { signToken, verifyToken } from '../shared/signed-token.ts';

/** What a preferences, unsubscribe or tracking link carries (short names keep links short). */
export interface MessageLinkPayload extends Record<string, unknown> {
  /** shop */
  s: string;
  /** customer (Lojal id) */
  c: string;
  /** message, when the link is in one */
  m?: string;
  /** the click's destination */
  u?: string;
  exp?: number;
}

const PURPOSE = 'messages';
/** Preferences and unsubscribe links keep working for a year (the law wants it to be easy). */
const LINK_LIFETIME_S = 365 * 86_400;

export function messageToken(keys: SigningKeys, payload: MessageLinkPayload, now: Date): string {
  return signToken(keys.signingKey(PURPOSE), {
    ...payload,
    exp: payload.exp ?? Math.floor(now.getTime() / 1000) + LINK_LIFETIME_S,
  });
}

export function readMessageToken(
  keys: SigningKeys,
  token: string,
  now: Date,
): MessageLinkPayload | null {
  const payload = verifyToken<MessageLinkPayload>(keys.signingKey(PURPOSE), token, now);
  return payload && typeof payload.s === 'string' && typeof payload.c === 'string' ? payload : null;
}

/** The public links in one message: preferences, one-click unsubscribe, click and open tracking. */
export function messageLinks(
  keys: SigningKeys,
  publicUrl: string,
  ids: { shopId: string; customerId: string; messageId: string },
  now: Date,
) {
  const base = publicUrl.replace(/\/$/, '');
  const own = { s: ids.shopId, c: ids.customerId, m: ids.messageId };
  const token = messageToken(keys, own, now);
  return {
    preferences: `${base}/m/p/${token}`,
    unsubscribe: `${base}/m/u/${token}`,
    openPixel: `${base}/m/o/${token}`,
    click: (url: string) => `${base}/m/c/${messageToken(keys, { ...own, u: url }, now)}`,
  };
}
