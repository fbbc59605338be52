/** Stars 1 to 5 as schema.org rates them. */
export const BEST_RATING = 5;
export const WORST_RATING = 1;

export interface RatingSummary {
  /** Rounded to two decimals; null without reviews. */
  average: number | null;
  count: number;
  /** How many reviews gave each number of stars, "1" to "5". */
  histogram: Record<'1' | '2' | '3' | '4' | '5', number>;
}

/** The summary from counts per star (rows of a GROUP BY rating). */
export function ratingSummary(rows: Array<{ rating: number; n: number | string }>): RatingSummary {
  const histogram = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let count = 0;
  let sum = 0;
  for (const row of rows) {
    const key = String(row.rating) as keyof typeof histogram;
    if (!(key in histogram)) continue;
    const n = Number(row.n);
    histogram[key] += n;
    count += n;
    sum += n * row.rating;
  }
  return { average: count > 0 ? Math.round((sum / count) * 100) / 100 : null, count, histogram };
}
