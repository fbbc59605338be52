import { hypergeometric2F1, lnGamma, logSumExp } from './special-functions.ts';
import { minimize } from './nelder-mead.ts';

/** One customer's calibration summary: repeat purchases x, last one at tX, observed for T (weeks). */
export interface CustomerHistory {
  x: number;
  tX: number;
  T: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Log-likelihood of the BG/NBD model (Fader, Hardie & Lee 2005, eq. 6), summed over customers.
 * Customers with the same (x, tX, T) are counted once with a weight.
 */
export function bgNbdLogLikelihood(
  { r, alpha, a, b }: BgNbdParams,
  groups: Array<CustomerHistory & { n: number }>,
): number {
  const base = lnGamma(r) - r * Math.log(alpha);
  const beta = lnGamma(a + b) - lnGamma(b);
  // the Gamma terms depend on x alone: once per distinct x, not once per customer
  const byX = new Map<number, number>();
  const gammaTerms = (x: number) => {
    let value = byX.get(x);
    if (value === undefined) {
      value = lnGamma(r + x) - base + beta + lnGamma(b + x) - lnGamma(a + b + x);
      byX.set(x, value);
    }
    return value;
  };
  const logA = Math.log(a);
  let total = 0;
  for (const { x, tX, T, n } of groups) {
    const a3 = -(r + x) * Math.log(alpha + T);
    const ll =
      x > 0
        ? gammaTerms(x) + logSumExp(a3, logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tX))
        : gammaTerms(x) + a3;
    total += n * ll;
  }
  return total;
}

/** Maximum-likelihood BG/NBD parameters (optimised over their logarithms, so they stay > 0). */
export function fitBgNbd(customers: CustomerHistory[]): BgNbdParams & { logLikelihood: number } {
  const groups = groupHistories(customers);
  const params = ([lr, lalpha, la, lb]: number[]) => ({
    r: Math.exp(lr!),
    alpha: Math.exp(lalpha!),
    a: Math.exp(la!),
    b: Math.exp(lb!),
  });
  const meanT = customers.reduce((s, c) => s + c.T, 0) / Math.max(1, customers.length);
  const { x } = minimize(
    (p) => -bgNbdLogLikelihood(params(p), groups),
    [0, Math.log(Math.max(1, meanT)), 0, 0],
  );
  // a second run from the first optimum guards against an early stop of the simplex
  const refined = minimize((p) => -bgNbdLogLikelihood(params(p), groups), x, { step: 0.05 });
  const best = params(refined.x);
  return { ...best, logLikelihood: bgNbdLogLikelihood(best, groups) };
}

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** Log-likelihood of the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"). */
export function gammaGammaLogLikelihood(
  { p, q, v }: GammaGammaParams,
  customers: Array<{ x: number; zbar: number }>,
): number {
  const constant = -lnGamma(q) + q * Math.log(v);
  const byX = new Map<number, number>();
  let total = 0;
  for (const { x, zbar } of customers) {
    let gammaTerms = byX.get(x);
    if (gammaTerms === undefined) {
      gammaTerms = lnGamma(p * x + q) - lnGamma(p * x) + constant + p * x * Math.log(x);
      byX.set(x, gammaTerms);
    }
    total += gammaTerms + (p * x - 1) * Math.log(zbar) - (p * x + q) * Math.log(x * zbar + v);
  }
  return total;
}

/** Maximum-likelihood Gamma-Gamma parameters on customers with at least one repeat purchase. */
export function fitGammaGamma(
  customers: Array<{ x: number; zbar: number }>,
): GammaGammaParams | null {
  const usable = customers.filter((c) => c.x > 0 && c.zbar > 0);
  if (usable.length < 2) return null;
  // q > 1 keeps the population's mean spend p·v/(q − 1) finite and positive
  const params = ([lp, lq, lv]: number[]) => ({
    p: Math.exp(lp!),
    q: 1 + Math.exp(lq!),
    v: Math.exp(lv!),
  });
  const { x } = minimize((p) => -gammaGammaLogLikelihood(params(p), usable), [0, 0, 0]);
  const refined = minimize((p) => -gammaGammaLogLikelihood(params(p), usable), x, { step: 0.05 });
  return params(refined.x);
}

function groupHistories(customers: CustomerHistory[]): Array<CustomerHistory & { n: number }> {
  const groups = new Map<string, CustomerHistory & { n: number }>();
  for (const c of customers) {
    const key = `${c.x}|${c.tX}|${c.T}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { ...c, n: 1 });
  }
  return [...groups.values()];
}

/**
 * Expected purchases in the next t weeks of a customer with history (x, tX, T), and the
 * probability the customer is still "alive" (Fader, Hardie & Lee 2005, eq. 10 and 13).
 */
export function bgNbdExpectedPurchases(
  { r, alpha, a: fittedA, b }: BgNbdParams,
  { x, tX, T }: CustomerHistory,
  t: number,
): number {
  // the formula divides by a − 1; at a = 1 exactly, its limit is taken from just beside it
  const a = Math.abs(fittedA - 1) < 1e-8 ? 1 + 1e-8 : fittedA;
  const z = t / (alpha + T + t);
  const growth =
    1 -
    Math.pow((alpha + T) / (alpha + T + t), r + x) *
      hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * growth;
  return (
    numerator / (1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tX), r + x) : 0))
  );
}

export function bgNbdProbabilityAlive(
  { r, alpha, a, b }: BgNbdParams,
  { x, tX, T }: CustomerHistory,
): number {
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tX), r + x));
}

/**
 * Expected value of a customer's future purchases under Gamma-Gamma (Fader, Hardie & Lee 2005,
 * "RFM and CLV", eq. 5): a weighted mean of the population mean and their own average.
 */
export function gammaGammaExpectedSpend(
  { p, q, v }: GammaGammaParams,
  x: number,
  zbar: number,
): number {
  const populationMean = (p * v) / (q - 1);
  const weight = (p * x) / (p * x + q - 1);
  return (1 - weight) * populationMean + weight * (x > 0 ? zbar : 0);
}
