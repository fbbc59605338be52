import { signToken, verifyToken, type SigningKeys } from '../shared/signed-token.ts';

export interface ReviewLink {
  shopId: string;
  requestId: string;
  expiresAt: Date;
}

interface ReviewPayload extends Record<string, unknown> {
  s: string;
  q: string;
  exp: number;
}

export function reviewUrl(keys: SigningKeys, publicUrl: string, link: ReviewLink): string {
  const payload: ReviewPayload = {
    s: link.shopId,
    q: link.requestId,
    exp: Math.floor(link.expiresAt.getTime() / 1000),
  };
  return `${publicUrl.replace(/\/$/, '')}/rv/${signToken(keys, 'review', payload)}`;
}

/** The request a review link stands for, or null when malformed, forged or expired. */
export function readReviewToken(keys: SigningKeys, token: string, now: Date): ReviewLink | null {
  const p = verifyToken<ReviewPayload>(keys, 'review', token, now);
  if (!p || typeof p.s !== 'string' || typeof p.q !== 'string') return null;
  return { shopId: p.s, requestId: p.q, expiresAt: new Date(p.exp * 1000) };
}
