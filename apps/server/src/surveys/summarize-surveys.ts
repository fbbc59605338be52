import type { Db } from '../db/connect.ts';
import type { SurveyKind } from '../db/schema.ts';
import { startOfDay } from '../db/shop-days.ts';
import { categoryOf, scoresOf } from './survey-scale.ts';

export interface SurveyFigures {
  kind: SurveyKind;
  requests: number;
  count: number;
  /** answered / requests, 0…1 (null with no requests). */
  responseRate: number | null;
  distribution: Array<{ score: number; count: number }>;
  /** NPS only: promoters % − detractors %, −100…100. */
  nps?: { score: number | null; promoters: number; passives: number; detractors: number };
  /** CSAT only: the mean score and the share answering 4 or 5, in percent. */
  csat?: { average: number | null; satisfiedPercent: number | null };
}

/**
 * The results of the surveys sent (requested) in [from, to), days in the shop's time zone:
 * a request sent on the 31st and answered on the 2nd counts in the month it was sent, so the
 * response rate always compares like with like.
 */
export async function summarizeSurveys(
  db: Db,
  shop: { id: string; timezone: string },
  input: { kind: SurveyKind; from?: string; to?: string },
): Promise<SurveyFigures> {
  let requests = db
    .selectFrom('survey_requests as r')
    .where('r.shop_id', '=', shop.id)
    .where('r.kind', '=', input.kind);
  if (input.from)
    requests = requests.where('r.created_at', '>=', startOfDay(input.from, shop.timezone));
  if (input.to) requests = requests.where('r.created_at', '<', startOfDay(input.to, shop.timezone));
  const [sent, scores] = await Promise.all([
    requests.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    requests
      .innerJoin('survey_answers as a', (j) =>
        j.onRef('a.shop_id', '=', 'r.shop_id').onRef('a.request_id', '=', 'r.id'),
      )
      .select(['a.score', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('a.score')
      .execute(),
  ]);
  return surveyFigures(
    input.kind,
    Number(sent.n),
    new Map(scores.map((s) => [s.score, Number(s.n)])),
  );
}

/** The figures from a count of requests and a count of answers per score. */
export function surveyFigures(
  kind: SurveyKind,
  requests: number,
  counts: Map<number, number>,
): SurveyFigures {
  const distribution = scoresOf(kind).map((score) => ({ score, count: counts.get(score) ?? 0 }));
  const count = distribution.reduce((s, d) => s + d.count, 0);
  const sumWhere = (pick: (score: number) => boolean) =>
    distribution.filter((d) => pick(d.score)).reduce((s, d) => s + d.count, 0);
  const figures: SurveyFigures = {
    kind,
    requests,
    count,
    responseRate: requests > 0 ? round(count / requests, 4) : null,
    distribution,
  };
  if (kind === 'nps') {
    const promoters = sumWhere((s) => categoryOf(kind, s) === 'promoter');
    const detractors = sumWhere((s) => categoryOf(kind, s) === 'detractor');
    figures.nps = {
      score: count > 0 ? round(((promoters - detractors) / count) * 100, 1) : null,
      promoters,
      passives: count - promoters - detractors,
      detractors,
    };
  } else {
    const total = distribution.reduce((s, d) => s + d.score * d.count, 0);
    figures.csat = {
      average: count > 0 ? round(total / count, 2) : null,
      satisfiedPercent:
        count > 0
          ? round((sumWhere((s) => categoryOf(kind, s) === 'satisfied') / count) * 100, 1)
          : null,
    };
  }
  return figures;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
