/**
 * A benchmark's goal figure, printed as one `BENCH_FIGURE {json}` line that `npm run bench`
 * (bench/all.ts) collects into its summary table. Each figure is set against a baseline measured
 * in the same run — PostgreSQL's own single-row insert tps, or `/health`'s latency paced the same
 * way — so the goal holds on any machine: a ratio (value ÷ baseline) or a difference
 * (value − baseline).
 */
export interface BenchFigure {
  /** What is measured, e.g. "accepted/s (together)". */
  figure: string;
  value: number;
  unit: string;
  /** What it is set against, e.g. "PostgreSQL insert tps"; omitted for an absolute goal. */
  baselineName?: string;
  baseline?: number;
  /** ratio: value ÷ baseline; difference: value − baseline; absolute: value itself. */
  compare: 'ratio' | 'difference' | 'absolute';
  /** The goal, on the compared quantity, and which side of it is good. */
  goal: number;
  better: 'higher' | 'lower';
}

export function compared(f: BenchFigure): number {
  if (f.compare === 'absolute' || f.baseline === undefined) return f.value;
  return f.compare === 'ratio' ? f.value / f.baseline : f.value - f.baseline;
}

export function met(f: BenchFigure): boolean {
  const x = compared(f);
  return f.better === 'higher' ? x >= f.goal : x <= f.goal;
}

export function reportFigure(f: BenchFigure): void {
  console.log(`BENCH_FIGURE ${JSON.stringify(f)}`);
}

/** BENCH_QUICK=1: the smaller sizes `npm run bench` uses, so the whole set runs in minutes. */
export const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

/** A size from the environment, else the quick or the full default. */
export function size(name: string, full: number, quickSize: number): number {
  const set = process.env[name];
  return set !== undefined && set !== '' ? Number(set) : quick ? quickSize : full;
}
