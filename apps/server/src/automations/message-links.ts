import {
  signToken,
  verifyToken,
  type SigningKeys,
  type TokenPurpose,
} from '../shared/signed-token.ts';

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

/** The four links of a message, each with a token that works for it alone. */
export type MessageLinkKind = 'open' | 'click' | 'preferences' | 'unsubscribe';

const PURPOSES: Record<MessageLinkKind, TokenPurpose> = {
  open: 'message-open',
  click: 'message-click',
  preferences: 'message-preferences',
  unsubscribe: 'message-unsubscribe',
};

/** Preferences and unsubscribe links keep working for a year (the law wants it to be easy). */
const LINK_LIFETIME_S = 365 * 86_400;

export function messageToken(
  keys: SigningKeys,
  kind: MessageLinkKind,
  payload: MessageLinkPayload,
  now: Date,
): string {
  return signToken(keys, PURPOSES[kind], {
    ...payload,
    exp: payload.exp ?? Math.floor(now.getTime() / 1000) + LINK_LIFETIME_S,
  });
}

/**
 * The payload of a token made for this kind of link, or null. Tokens from before purposes
 * (signed for "messages", in e-mails already sent) keep doing what they did, until their own
 * expiry a year after the e-mail: the one token of a message still opens its pixel,
 * preferences and unsubscribe links; a click token (it names a destination) only its click.
 */
export function readMessageToken(
  keys: SigningKeys,
  kind: MessageLinkKind,
  token: string,
  now: Date,
): MessageLinkPayload | null {
  const payload =
    verifyToken<MessageLinkPayload>(keys, PURPOSES[kind], token, now) ??
    verifyToken<MessageLinkPayload>(keys, 'messages', token, now);
  if (!payload || typeof payload.s !== 'string' || typeof payload.c !== 'string') return null;
  const hasDestination = typeof payload.u === 'string';
  return hasDestination === (kind === 'click') ? payload : null;
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
  const token = (kind: MessageLinkKind) => messageToken(keys, kind, own, now);
  return {
    preferences: `${base}/m/p/${token('preferences')}`,
    unsubscribe: `${base}/m/u/${token('unsubscribe')}`,
    openPixel: `${base}/m/o/${token('open')}`,
    click: (url: string) => `${base}/m/c/${messageToken(keys, 'click', { ...own, u: url }, now)}`,
  };
}
