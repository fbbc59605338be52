import { api } from '../api/client.ts';
import type { Liability, MessageResults, PointsActivity, Summary } from '../api/types.ts';
import { addDays } from '../i18n/format.ts';

/** The periods Home offers, in days, each ending today (the shop's day) inclusive. */
export const PERIODS = [7, 30, 90, 365] as const;
export type Period = (typeof PERIODS)[number];

export interface Range {
  from: string;
  /** exclusive */
  to: string;
}

export function rangeOf(today: string, days: number): Range {
  const to = addDays(today, 1);
  return { from: addDays(to, -days), to };
}

export interface Glance {
  summary: Summary;
  points: PointsActivity;
  previousPoints: PointsActivity;
  liability: Liability;
  messagesSent: number;
  previousMessagesSent: number;
  referrals: number;
  previousReferrals: number;
}

const sent = (m: MessageResults) => m.results.reduce((sum, r) => sum + r.sent, 0);

/** The figures of Home for a range and the same number of days before it. */
export async function loadGlance(range: Range, days: number): Promise<Glance> {
  const previous = { from: addDays(range.from, -days), to: range.from };
  const referred = async (r: Range) => {
    const series = await api<{ data: Array<{ referrals: number }> }>(
      'GET',
      '/v1/analytics/series',
      {
        query: { ...r, step: 'month' },
      },
    );
    return series.data.reduce((sum, p) => sum + p.referrals, 0);
  };
  const [
    summary,
    points,
    previousPoints,
    liability,
    messages,
    previousMessages,
    referrals,
    previousReferrals,
  ] = await Promise.all([
    api<Summary>('GET', '/v1/analytics/summary', { query: { ...range } }),
    api<PointsActivity>('GET', '/v1/points/activity', { query: { ...range } }),
    api<PointsActivity>('GET', '/v1/points/activity', { query: { ...previous } }),
    api<Liability>('GET', '/v1/points/liability'),
    api<MessageResults>('GET', '/v1/analytics/messages', { query: { ...range } }),
    api<MessageResults>('GET', '/v1/analytics/messages', { query: { ...previous } }),
    referred(range),
    referred(previous),
  ]);
  return {
    summary,
    points,
    previousPoints,
    liability,
    messagesSent: sent(messages),
    previousMessagesSent: sent(previousMessages),
    referrals,
    previousReferrals,
  };
}

export interface SeriesPoint {
  from: string;
  revenue: number;
  pointsIssued: number;
}

/** Days for 7 and 30 days, ISO weeks for 90, months for a year: 7 to 31 points. */
function stepOf(days: number): 'day' | 'week' | 'month' {
  return days <= 31 ? 'day' : days <= 120 ? 'week' : 'month';
}

/** Revenue and points issued per step of the period, for the chart (one request). */
export async function loadSeries(range: Range, days: number): Promise<SeriesPoint[]> {
  const series = await api<{ data: SeriesPoint[] }>('GET', '/v1/analytics/series', {
    query: { ...range, step: stepOf(days) },
  });
  return series.data;
}
