import type { Db } from '../db/connect.ts';
import type { SurveyKind } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { Locale } from '../shared/i18n.ts';
import { newId } from '../shared/ids.ts';
import { DAY_MS } from '../db/shop-days.ts';
import { scoresOf } from './survey-scale.ts';
import { loadSurveySettings } from './survey-settings.ts';
import { surveyAnswerUrl } from './survey-links.ts';
import type { SigningKeys } from '../shared/signed-token.ts';

export interface SurveyRequestInput {
  shopId: string;
  /** Lojal's customer id (`cus_…`), as flows carry it. */
  customerId: string;
  kind: SurveyKind;
  /** The message carrying the links: the same message asks once, however often it is built. */
  messageId?: string;
  runId?: string;
  /** Where the public pages are served, e.g. config.publicUrl. */
  publicUrl: string;
  /** The customer's language for the answer page. */
  locale: Locale;
}

export interface SurveyRequest {
  requestId: string;
  /** One link per score, lowest first: 11 for NPS (0…10), 5 for CSAT (1…5). */
  answerUrls: string[];
  scores: number[];
  expiresAt: Date;
}

/**
 * Asks a customer one NPS or CSAT question. Works inside the caller's transaction (pass it as
 * `db`), so a flow step that builds an e-mail and its survey commits both or neither.
 */
export async function createSurveyRequest(
  db: Db,
  clock: Clock,
  keys: SigningKeys,
  input: SurveyRequestInput,
): Promise<SurveyRequest> {
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', input.shopId)
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer) throw problems.notFound(`Customer ${input.customerId}`);

  const now = clock.now();
  const settings = await loadSurveySettings(db, input.shopId);
  // Whole seconds: the links carry the expiry in seconds and must match what is stored.
  const expiresAt = new Date(
    Math.floor((now.getTime() + settings.linkValidDays * DAY_MS) / 1000) * 1000,
  );
  const inserted = await db
    .insertInto('survey_requests')
    .values({
      shop_id: input.shopId,
      id: newId('srq'),
      customer_id: input.customerId,
      kind: input.kind,
      locale: input.locale,
      message_id: input.messageId ?? null,
      run_id: input.runId ?? null,
      created_at: now,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc.columns(['shop_id', 'message_id']).where('message_id', 'is not', null).doNothing(),
    )
    .returning(['id', 'kind', 'expires_at'])
    .executeTakeFirst();
  const request =
    inserted ??
    (await db
      .selectFrom('survey_requests')
      .select(['id', 'kind', 'expires_at', 'customer_id'])
      .where('shop_id', '=', input.shopId)
      .where('message_id', '=', input.messageId ?? '')
      .executeTakeFirstOrThrow());
  // A message asks one customer one question: the same id for someone or something else is a
  // mistake, never a way to another customer's links.
  if (
    'customer_id' in request &&
    (request.customer_id !== input.customerId || request.kind !== input.kind)
  )
    throw problems.conflict(`Message ${input.messageId} already carries another survey.`);

  const scores = scoresOf(request.kind);
  return {
    requestId: request.id,
    scores,
    answerUrls: scores.map((score) =>
      surveyAnswerUrl(keys, input.publicUrl, {
        shopId: input.shopId,
        requestId: request.id,
        score,
        expiresAt: request.expires_at,
      }),
    ),
    expiresAt: request.expires_at,
  };
}
