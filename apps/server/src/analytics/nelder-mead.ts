/**
 * Nelder–Mead simplex minimisation: derivative-free, robust for the handful of parameters of
 * the CLV models. Stops when the simplex's function values and size are within tolerance.
 */
export function minimize(
  f: (x: number[]) => number,
  start: number[],
  { maxIterations = 20_000, tolerance = 1e-12, step = 0.5 } = {},
): { x: number[]; value: number; iterations: number } {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))];
  let values = simplex.map(f);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((v, i) => i).sort((i, j) => values[i]! - values[j]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    const spread = Math.abs(values[n]! - values[0]!);
    const size = Math.max(
      ...simplex.slice(1).map((p) => Math.max(...p.map((v, j) => Math.abs(v - simplex[0]![j]!)))),
    );
    if (spread <= tolerance * (Math.abs(values[0]!) + 1e-20) && size < 1e-9) break;

    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n]![j]! - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < values[0]!) {
      const expanded = along(-2);
      const fe = f(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = fr < values[n]! ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, values[n]!)) {
        [simplex[n], values[n]] = [contracted, fc];
      } else {
        // shrink towards the best point
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
          values[i] = f(simplex[i]!);
        }
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: simplex[best]!, value: values[best]!, iterations };
}
