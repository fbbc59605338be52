import { signToken, verifyToken, type SigningKeys } from '../shared/signed-token.ts';

export interface SurveyLink {
  shopId: string;
  requestId: string;
  score: number;
  expiresAt: Date;
}

// Short field names keep the links short: e-mail clients and people copy them around.
interface SurveyPayload extends Record<string, unknown> {
  s: string;
  q: string;
  v: number;
  exp: number;
}

/** The one-click answer link for one score; the token is the customer's only credential. */
export function surveyAnswerUrl(keys: SigningKeys, publicUrl: string, link: SurveyLink): string {
  return `${publicUrl.replace(/\/$/, '')}/s/${surveyToken(keys, link)}`;
}

export function surveyToken(keys: SigningKeys, link: SurveyLink): string {
  const payload: SurveyPayload = {
    s: link.shopId,
    q: link.requestId,
    v: link.score,
    exp: Math.floor(link.expiresAt.getTime() / 1000),
  };
  return signToken(keys, 'survey', payload);
}

/** The link a token stands for, or null when it is malformed, forged or expired. */
export function readSurveyToken(keys: SigningKeys, token: string, now: Date): SurveyLink | null {
  const p = verifyToken<SurveyPayload>(keys, 'survey', token, now);
  if (!p || typeof p.s !== 'string' || typeof p.q !== 'string' || !Number.isInteger(p.v)) {
    return null;
  }
  return { shopId: p.s, requestId: p.q, score: p.v, expiresAt: new Date(p.exp * 1000) };
}
