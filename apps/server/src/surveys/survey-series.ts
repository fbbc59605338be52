import type { Db } from '../db/connect.ts';
import type { SurveyKind } from '../db/schema.ts';
import { summarizeSurveys, type SurveyFigures } from './summarize-surveys.ts';

/** At most this many months in one answer: two years of monthly figures. */
export const SERIES_MONTHS_MAX = 24;

/** The first days of the months from `from`'s month up to the one holding the day before `to`. */
export function monthStarts(from: string, to: string): string[] {
  const starts: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const firstOfTo = `${to.slice(0, 7)}-01`;
  const last = to === firstOfTo ? previousMonth(firstOfTo) : firstOfTo;
  for (;;) {
    const day = `${year}-${String(month).padStart(2, '0')}-01`;
    if (day > last) break;
    starts.push(day);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return starts;
}

function previousMonth(firstDay: string): string {
  const [year, month] = [Number(firstDay.slice(0, 4)), Number(firstDay.slice(5, 7))];
  const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

function nextMonth(firstDay: string): string {
  const [year, month] = [Number(firstDay.slice(0, 4)), Number(firstDay.slice(5, 7))];
  const [y, m] = month === 12 ? [year + 1, 1] : [year, month + 1];
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

/**
 * NPS or CSAT month by month: each month counted exactly as GET /v1/surveys/results counts a
 * period (the requests sent in it and their answers), so a month's figure equals the results
 * route's for that month. The first and last months are cut to [from, to).
 */
export async function surveySeries(
  db: Db,
  shop: { id: string; timezone: string },
  input: { kind: SurveyKind; from: string; to: string },
): Promise<Array<{ month: string; from: string; to: string } & SurveyFigures>> {
  const months = monthStarts(input.from, input.to);
  return Promise.all(
    months.map(async (start) => {
      const from = start < input.from ? input.from : start;
      const end = nextMonth(start);
      const to = end > input.to ? input.to : end;
      const figures = await summarizeSurveys(db, shop, { kind: input.kind, from, to });
      return { month: start.slice(0, 7), from, to, ...figures };
    }),
  );
}
