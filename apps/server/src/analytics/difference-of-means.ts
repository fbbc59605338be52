import { normalCdf } from './measure-lift.ts';

const Z95 = 1.959963984540054;

/** A group's mean, sample standard deviation and size, as SQL's avg/stddev_samp/count give them. */
export interface Moments {
  n: number;
  mean: number;
  sd: number;
}

/**
 * a − b with Welch's standard error, its 95% interval (normal approximation) and two-sided
 * p-value; money in minor units, so rounded to whole units. Null when a group has < 2 values.
 */
export function differenceOfMeans(a: Moments, b: Moments) {
  if (a.n < 2 || b.n < 2) return null;
  const diff = a.mean - b.mean;
  const se = Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);
  return {
    difference: Math.round(diff),
    relative: b.mean !== 0 ? Number((diff / b.mean).toFixed(4)) : null,
    ci95: [Math.round(diff - Z95 * se), Math.round(diff + Z95 * se)] as [number, number],
    pValue: se > 0 ? Number((2 * (1 - normalCdf(Math.abs(diff) / se))).toFixed(4)) : null,
  };
}
