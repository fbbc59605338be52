import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { localeSchema, problemSchema } from '../schemas.ts';
import { isLocale } from '../../shared/i18n.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { createSurveyRequest } from '../../surveys/create-survey-request.ts';
import { answerSurvey, COMMENT_MAX, findSurveyState } from '../../surveys/answer-survey.ts';
import { readSurveyToken, surveyToken, type SurveyLink } from '../../surveys/survey-links.ts';
import { commentTooLongMessage, confirmSurveyPage, surveyPage } from '../../surveys/survey-page.ts';
import { isScore } from '../../surveys/survey-scale.ts';
import { formFields, sendNotFound, sendPage } from '../public-page-reply.ts';
import { summarizeSurveys } from '../../surveys/summarize-surveys.ts';
import { listCustomerSurveys } from '../../surveys/list-customer-surveys.ts';
import { listSurveyAnswers } from '../../surveys/list-survey-answers.ts';
import { monthStarts, SERIES_MONTHS_MAX, surveySeries } from '../../surveys/survey-series.ts';
import { problems } from '../../shared/errors.ts';
import { loadSurveySettings, updateSurveySettings } from '../../surveys/survey-settings.ts';

const kindSchema = z.enum(['nps', 'csat']);
const day = z.iso.date();
// A comment of 2,000 characters, each up to 12 bytes once UTF-8 and form-encoded.
const SURVEY_BODY_LIMIT = 32_768;
// Tokens outgrow the router's 100-character limit on named parameters; a wildcard has none.
const tokenParams = z.object({ '*': z.string().max(2000).describe('the signed token') });

const settingsSchema = z
  .object({
    answerChangeDays: z
      .number()
      .int()
      .min(0)
      .max(90)
      .describe('how long after the first answer it can still be changed'),
    linkValidDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .describe('how long survey and review links work'),
    followUpTasks: z.boolean().describe('whether a low score opens a follow-up task'),
  })
  .meta({ id: 'SurveySettings' });

const surveySchema = z
  .object({
    requestId: z.string(),
    kind: kindSchema,
    sentAt: z.string(),
    expiresAt: z.string(),
    messageId: z.string().nullable(),
    answer: z
      .object({
        score: z.number().int(),
        category: z.string(),
        comment: z.string().nullable(),
        taskId: z.string().nullable(),
        changes: z.number().int(),
        firstAnsweredAt: z.string(),
        answeredAt: z.string(),
        changeableUntil: z.string(),
      })
      .nullable(),
  })
  .meta({ id: 'CustomerSurvey' });

/**
 * Surveys and reviews: the API (api key) and the public pages customers open from e-mails
 * (the signed token in the URL is their only credential). Registered in a scope that accepts
 * form bodies (app/routes.ts), for the public forms.
 */
export function surveyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/survey-requests',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['surveys'],
        summary: 'Ask a customer an NPS or CSAT question: one signed one-click link per score',
        description:
          'For merchants sending their own e-mails; flows call createSurveyRequest directly. ' +
          'The same messageId gives the same request again.',
        body: z.object({
          customerId: z.string().min(1).max(255),
          kind: kindSchema,
          locale: localeSchema.optional().describe("the page's language; the shop's by default"),
          messageId: z.string().min(1).max(255).optional(),
        }),
        response: {
          404: problemSchema,
          201: z.object({
            requestId: z.string(),
            scores: z.array(z.number().int()),
            answerUrls: z.array(z.string()),
            expiresAt: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const body = request.body;
      const made = await createSurveyRequest(ctx.db, ctx.clock, ctx.box, {
        shopId: shop.id,
        customerId: await findCustomerId(ctx.db, shop.id, body.customerId),
        kind: body.kind,
        publicUrl: ctx.config.publicUrl,
        locale: body.locale ?? (isLocale(shop.locale) ? shop.locale : 'pl'),
        ...(body.messageId !== undefined && { messageId: body.messageId }),
      });
      return reply.status(201).send({ ...made, expiresAt: made.expiresAt.toISOString() });
    },
  );

  r.get(
    '/v1/surveys/results',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['surveys'],
        summary: 'NPS or CSAT results of the surveys sent in a period',
        description:
          'Counts the requests sent in [from, to) (days in the shop time zone) and their answers. ' +
          'NPS = promoters % − detractors %; CSAT: the mean and the percent answering 4–5; ' +
          'responseRate = answered / sent (0–1).',
        querystring: z.object({
          kind: kindSchema.default('nps'),
          from: day.optional(),
          to: day.optional().describe('exclusive'),
        }),
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const { kind, from, to } = request.query;
      return {
        from: from ?? null,
        to: to ?? null,
        ...(await summarizeSurveys(ctx.db, shop, {
          kind,
          ...(from !== undefined && { from }),
          ...(to !== undefined && { to }),
        })),
      };
    },
  );

  r.get(
    '/v1/surveys/series',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['surveys'],
        summary: 'NPS or CSAT month by month, each month counted as /v1/surveys/results counts it',
        description: `Days in the shop time zone, to exclusive; at most ${SERIES_MONTHS_MAX} months.`,
        querystring: z.object({ kind: kindSchema.default('nps'), from: day, to: day }),
        response: {
          200: z.object({
            kind: kindSchema,
            data: z.array(
              z.object({
                month: z.string().describe('YYYY-MM'),
                from: z.string(),
                to: z.string(),
                requests: z.number().int(),
                count: z.number().int(),
                responseRate: z.number().nullable(),
                distribution: z.array(
                  z.object({ score: z.number().int(), count: z.number().int() }),
                ),
                nps: z
                  .object({
                    score: z.number().nullable(),
                    promoters: z.number().int(),
                    passives: z.number().int(),
                    detractors: z.number().int(),
                  })
                  .optional(),
                csat: z
                  .object({
                    average: z.number().nullable(),
                    satisfiedPercent: z.number().nullable(),
                  })
                  .optional(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { kind, from, to } = request.query;
      if (to <= from) throw problems.validation([{ path: 'to', message: 'must be after from' }]);
      if (monthStarts(from, to).length > SERIES_MONTHS_MAX) {
        throw problems.validation([
          { path: 'to', message: `at most ${SERIES_MONTHS_MAX} months after from` },
        ]);
      }
      return { kind, data: await surveySeries(ctx.db, shopOf(request), { kind, from, to }) };
    },
  );

  r.get(
    '/v1/surveys/answers',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['surveys'],
        summary: 'The latest answers with their comments and follow-up tasks, newest first',
        description:
          'from/to: days of the answer in the shop time zone (to exclusive); low: only ' +
          'detractors (NPS 0–6) or dissatisfied customers (CSAT 1–2).',
        querystring: z.object({
          kind: kindSchema.default('nps'),
          from: day.optional(),
          to: day.optional(),
          low: z.stringbool().optional(),
          withComment: z.stringbool().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                requestId: z.string(),
                customerId: z.string(),
                customer: z.object({ email: z.string().nullable(), name: z.string().nullable() }),
                kind: kindSchema,
                score: z.number().int(),
                category: z.string(),
                comment: z.string().nullable(),
                taskId: z.string().nullable(),
                answeredAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { kind, from, to, low, withComment, limit } = request.query;
      return {
        data: await listSurveyAnswers(ctx.db, shopOf(request), {
          kind,
          limit,
          ...(from !== undefined && { from }),
          ...(to !== undefined && { to }),
          ...(low !== undefined && { low }),
          ...(withComment !== undefined && { withComment }),
        }),
      };
    },
  );

  r.get(
    '/v1/customers/:customerId/surveys',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['surveys'],
        summary: "A customer's surveys and answers, newest first",
        params: z.object({ customerId: z.string().min(1).max(255) }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ data: z.array(surveySchema) }) },
      },
    },
    async (request) => ({
      data: await listCustomerSurveys(ctx.db, {
        shopId: shopOf(request).id,
        customerId: request.params.customerId,
        limit: request.query.limit,
      }),
    }),
  );

  r.get(
    '/v1/surveys/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['surveys'],
        summary: 'Survey and review settings',
        response: { 200: settingsSchema },
      },
    },
    async (request) => loadSurveySettings(ctx.db, shopOf(request).id),
  );

  r.patch(
    '/v1/surveys/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['surveys'],
        summary: 'Change survey and review settings (fields left out keep their values)',
        body: settingsSchema.partial(),
        response: { 200: settingsSchema },
      },
    },
    async (request) =>
      updateSurveySettings(ctx.db, ctx.clock, { shopId: shopOf(request).id, ...request.body }),
  );

  const readLink = (request: FastifyRequest) =>
    readSurveyToken(ctx.box, (request.params as { '*': string })['*'], ctx.clock.now());
  const scoreHrefFor = (link: SurveyLink) => (score: number) =>
    `./${surveyToken(ctx.box, { ...link, score })}`;

  r.get(
    '/s/*',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: 'A survey answer link: the page with the score of the link chosen',
        description:
          'Records nothing (mail scanners follow links): the page posts the answer itself once ' +
          'shown, and has a button that does the same without JavaScript. Once the score is ' +
          'the answer, or the answer can no longer change, it shows the answer and the comment ' +
          'form. A bad or expired link answers 404.',
        security: [],
        params: tokenParams,
      },
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const link = readLink(request);
      const state = link && (await findSurveyState(ctx.db, ctx.clock, link));
      if (!link || !state || !isScore(state.kind, link.score)) return sendNotFound(reply);
      if (request.method === 'HEAD') return sendPage(reply, 200, '');
      const scoreHref = scoreHrefFor(link);
      const answer = state.answer;
      if (answer && (answer.score === link.score || now > answer.changeableUntil)) {
        const outcome = { status: 'unchanged' as const, state };
        return sendPage(reply, 200, surveyPage({ outcome, now, scoreHref }));
      }
      return sendPage(reply, 200, confirmSurveyPage({ state, score: link.score, scoreHref }));
    },
  );

  r.post(
    '/s/*',
    {
      config: { auth: 'none', rateClass: 'public' },
      bodyLimit: SURVEY_BODY_LIMIT,
      // The token is checked before the body is read.
      onRequest: async (request, reply) => {
        if (!readLink(request)) return sendNotFound(reply);
      },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary:
          'Record a survey answer (form-encoded `answer=1`: the score of the link) and/or its comment',
        description:
          'With `answer=1` the score of the link becomes the answer (while it can still change). ' +
          'A `comment` alone keeps the score chosen since, and records the link’s score only if ' +
          'there was no answer yet.',
        security: [],
        params: tokenParams,
      },
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const link = readLink(request);
      if (!link) return sendNotFound(reply);
      const fields = formFields(request.body);
      const comment = fields.comment;
      const tooLong = comment !== undefined && Array.from(comment).length > COMMENT_MAX;
      const outcome = await answerSurvey(ctx.db, ctx.clock, {
        ...link,
        keepScore: fields.answer !== '1',
        ...(comment !== undefined && !tooLong && { comment }),
      });
      if (outcome.status === 'not_found') return sendNotFound(reply);
      const scoreHref = scoreHrefFor(link);
      if (tooLong) {
        const error = commentTooLongMessage(outcome.state.locale);
        return sendPage(reply, 422, surveyPage({ outcome, now, scoreHref, error }));
      }
      const commentSaved = outcome.status !== 'locked' && (comment ?? '').trim() !== '';
      return sendPage(
        reply,
        outcome.status === 'locked' ? 409 : 200,
        surveyPage({ outcome, now, scoreHref, commentSaved }),
      );
    },
  );
}
